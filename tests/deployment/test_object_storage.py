"""Files in an S3-compatible bucket (moto's server on loopback): stored with their type, name
and checksum, downloaded through a presigned link or streamed through LO Hub, an upload cut
halfway leaves nothing, a vanished object is a clear error, and ``lohub storage copy`` moves
every file between backends, verified and resumable."""

import asyncio
import base64
import hashlib
import os
import sys
from pathlib import Path

import httpx
import pytest

from models.audit import AuditEvent
from models.document import Document
from services import works
from services.actor import Actor
from services.settings import get_settings
from services.storage import LocalStorage, S3Storage, close_storage, default_storage
from services.storage_copy import copy_files
from tests.cycles.test_documents import PDF, Part, _pk, _post_upload, _slot, _uploaded
from tests.helpers import GraphQLClient
from tests.live import free_port
from tests.object_storage import CuttingProxy, endpoint_port, use_bucket
from tests.works.test_works import FILES, PNG, _add_file, _data
from tests.world import gid, make_world

THAI_NAME = "รายงานการประชุม ครั้งที่ 1.pdf"
BIG_PDF = PDF + b"%" + os.urandom(300_000)


def _sha256_base64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


async def test_a_document_is_kept_in_the_bucket_and_downloaded_through_a_presigned_link(
    client: GraphQLClient, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    async with use_bucket(monkeypatch, s3_endpoint) as bucket:
        document = await _uploaded(chair, {"slot": await _slot(world, 1)}, Part(filename=THAI_NAME))
        stored = await Document.get(id=_pk(document))
        [key] = await bucket.keys()
        head = await bucket.head(stored.storage_key)

        link = await client.http.get(document["downloadUrl"])
        async with httpx.AsyncClient() as browser:
            fetched = await browser.get(link.headers["location"])

    assert key == f"files/{stored.storage_key[:2]}/{stored.storage_key}"
    assert head["ContentType"] == "application/pdf"
    assert "filename*=UTF-8''" in head["ContentDisposition"]
    assert head["ChecksumSHA256"] == _sha256_base64(PDF)
    assert link.status_code == 307
    assert link.headers["cache-control"] == "no-store"
    assert link.headers["location"].startswith(f"{s3_endpoint}/{bucket.name}/files/")
    assert "X-Amz-Expires=300" in link.headers["location"]
    assert fetched.status_code == 200
    assert fetched.content == PDF
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.headers["content-disposition"] == head["ContentDisposition"]


async def test_a_bucket_private_to_the_network_streams_work_files_through_lo_hub(
    client: GraphQLClient, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world(with_cycle=False)
    member_actor = Actor(user_id=world.users["MEMBER"].id)
    work = await works.create_work(actor=member_actor, unit_id=world.unit.id, data=_data(world))
    member = world.client(client, "MEMBER")
    async with use_bucket(monkeypatch, s3_endpoint, downloads="proxy") as bucket:
        added = await _add_file(
            member, {"work": gid("Work", work.id), "kind": "POSTER"}, PNG, "poster.png", "image/png"
        )
        files = await member.data(FILES, {"id": gid("Work", work.id)})
        link = files["node"]["latest"][0]["downloadUrl"]
        download = await client.http.get(link)
        again = await client.http.get(link, headers={"If-None-Match": download.headers["etag"]})
        keys = await bucket.keys()

    assert added["errors"] == []
    assert len(keys) == 1
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith('inline; filename="poster.png"')
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert again.status_code == 304


async def test_an_upload_cut_halfway_records_nothing_and_leaves_nothing_behind(
    client: GraphQLClient, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    slot = {"slot": await _slot(world, 1)}
    async with (
        CuttingProxy(endpoint_port(s3_endpoint), after=64_000) as proxy,
        use_bucket(monkeypatch, s3_endpoint) as bucket,
    ):
        monkeypatch.setenv("LOHUB_STORAGE_S3_ENDPOINT_URL", f"http://127.0.0.1:{proxy.port}")
        get_settings.cache_clear()
        proxy.cutting = True
        cut = await _post_upload(chair, slot, Part(content=BIG_PDF))
        left = await bucket.keys()
        proxy.cutting = False
        whole = await _post_upload(chair, slot, Part(content=BIG_PDF))
        kept = await bucket.keys()

    assert proxy.cuts >= 1
    assert cut.status_code == 503
    assert cut.headers["retry-after"] == "5"
    [error] = cut.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "Traceback" not in cut.text
    assert left == []
    assert whole.status_code == 200, whole.text
    assert whole.json()["data"]["documentUpload"]["errors"] == []
    assert len(kept) == 1
    assert await Document.all().count() == 1
    assert await AuditEvent.filter(action="document.upload").count() == 1


@pytest.mark.parametrize("downloads", ["presigned", "proxy"])
async def test_a_file_deleted_from_the_bucket_is_a_clear_404_not_a_500(
    client: GraphQLClient, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, downloads: str
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    async with use_bucket(monkeypatch, s3_endpoint, downloads) as bucket:
        document = await _uploaded(chair, {"slot": await _slot(world, 1)})
        await bucket.remove((await Document.get(id=_pk(document))).storage_key)
        gone = await client.http.get(document["downloadUrl"], headers={"Accept-Language": "en"})

    assert gone.status_code == 404
    assert gone.json() == {
        "errors": [{"message": "The file's content is missing from storage; tell an administrator"}]
    }


async def test_storage_copy_moves_every_file_verified_and_resumes(
    client: GraphQLClient, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Given three files in the folder, one of them deleted (its bytes stay for the audit) and
    # one whose bytes were damaged on disk.
    world = await make_world()
    chair = world.client(client, "CHAIR")
    slot = {"slot": await _slot(world, 1)}
    uploaded = [await _uploaded(chair, slot, Part(filename=f"{n}.pdf")) for n in range(3)]
    await Document.filter(id=_pk(uploaded[0])).update(deleted_at=await _now())
    folder = default_storage()
    assert isinstance(folder, LocalStorage)
    damaged = (await Document.get(id=_pk(uploaded[2]))).storage_key
    (folder.root / damaged[:2] / damaged).write_bytes(b"%PDF-1.4 not what was uploaded")

    async with use_bucket(monkeypatch, s3_endpoint, downloads="proxy") as bucket:
        bucket_storage = default_storage()
        assert isinstance(bucket_storage, S3Storage)
        # When it is copied: the damaged one is refused, the others go.
        first = await copy_files(folder, bucket_storage)
        # Then repaired, and copied again by the command, which skips what is there.
        (folder.root / damaged[:2] / damaged).write_bytes(PDF)
        command = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "lohub"),
            *("storage", "copy", "--from", str(folder.root), "--to", f"s3://{bucket.name}/files"),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ},
        )
        output, _ = await command.communicate()
        keys = await bucket.keys()
        # And LO Hub, now on the bucket, serves the file.
        download = await client.http.get(uploaded[2]["downloadUrl"])

    assert (first.copied, first.already_there, len(first.problems)) == (2, 0, 1)
    assert "do not match the SHA-256 on record" in first.problems[0]
    assert command.returncode == 0, output.decode()
    assert "3/3: 1 copied, 2 already there, 0 problems" in output.decode()
    assert len(keys) == 3
    assert download.content == PDF


async def _now() -> object:
    from services.tokens import utcnow

    return utcnow()


async def test_a_bucket_out_of_reach_is_a_503_to_retry_for_uploads_and_downloads(
    client: GraphQLClient, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    slot = {"slot": await _slot(world, 1)}
    async with use_bucket(monkeypatch, s3_endpoint, downloads="proxy"):
        document = await _uploaded(chair, slot)
        # The store goes away (nothing listens at its address any more).
        monkeypatch.setenv("LOHUB_STORAGE_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
        get_settings.cache_clear()
        await close_storage()
        upload = await _post_upload(chair, slot)
        download = await client.http.get(document["downloadUrl"])

    assert upload.status_code == 503
    assert upload.headers["retry-after"] == "5"
    assert [e["extensions"]["code"] for e in upload.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert download.status_code == 503
    assert download.headers["retry-after"] == "5"
    assert await Document.all().count() == 1
