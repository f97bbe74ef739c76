"""OAI-PMH 2.0 at /oai: every verb and every error answered with XML that the official schemas
(tests/xsd: OAI-PMH.xsd, oai_dc.xsd and what they import) validate; sets, from/until, deleted
records and resumption tokens that page, expire and cannot be forged."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from lxml import etree

from models.work import Work
from services import oai_pmh
from services.oai_pmh import datestamp, identifier_of
from tests.helpers import GraphQLClient, count_queries
from tests.public_world import PublicWorld, make_public_world

XSD = Path(__file__).parents[1] / "xsd"
NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
}
# One schema that knows both namespaces, so the records' metadata is validated too (the
# OAI-PMH schema checks it strictly: a record whose namespace is unknown fails).
_SCHEMA = etree.XMLSchema(
    etree.fromstring(
        f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:import namespace="{NS["o"]}" schemaLocation="{(XSD / "OAI-PMH.xsd").as_uri()}"/>
        <xs:import namespace="{NS["oai_dc"]}" schemaLocation="{(XSD / "oai_dc.xsd").as_uri()}"/>
        </xs:schema>""".encode()
    )
)


def _http(client: GraphQLClient) -> httpx.AsyncClient:
    return client.http  # type: ignore[attr-defined,no-any-return]


async def _oai(client: GraphQLClient, **arguments: str) -> etree._Element:
    """The answer to ``arguments``, after checking it against the schemas."""
    response = await _http(client).get("/oai", params=arguments)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    document = etree.fromstring(response.content)
    assert _SCHEMA.validate(document), _SCHEMA.error_log
    return document


def _error(document: etree._Element) -> str | None:
    codes = document.xpath("o:error/@code", namespaces=NS)
    return str(codes[0]) if codes else None


def _numbers(document: etree._Element) -> list[str]:
    return [
        str(i).rsplit(":", 1)[1]
        for i in document.xpath("//o:header/o:identifier/text()", namespaces=NS)
    ]


@pytest.fixture
async def public() -> PublicWorld:
    return await make_public_world()


def test_the_schemas_refuse_what_is_not_oai_pmh() -> None:
    """The shipped schemas do check: a made-up verb element and a bad datestamp fail."""
    bad = etree.fromstring(
        f"""<OAI-PMH xmlns="{NS["o"]}"><responseDate>2024-01-01</responseDate>
        <request>http://x/oai</request><Hello/></OAI-PMH>""".encode()
    )
    assert not _SCHEMA.validate(bad)


async def test_identify(client: GraphQLClient, public: PublicWorld) -> None:
    document = await _oai(client, verb="Identify")

    identify = document.find("o:Identify", NS)
    assert identify is not None
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:baseURL", namespaces=NS) == oai_pmh.base_url()
    first = min(w.updated_at for w in [*public.published, public.retracted, public.archived])  # type: ignore[union-attr]
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == datestamp(first)


async def test_list_metadata_formats_and_sets(client: GraphQLClient, public: PublicWorld) -> None:
    formats = await _oai(client, verb="ListMetadataFormats")
    for_item = await _oai(
        client,
        verb="ListMetadataFormats",
        identifier=identifier_of(public.published[0].registry_number or ""),
    )
    sets = await _oai(client, verb="ListSets")

    for document in (formats, for_item):
        assert document.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc"]
    specs = sets.xpath("//o:setSpec/text()", namespaces=NS)
    unit = f"unit:{public.world.unit.code}"
    assert specs == [
        "unit",
        unit,
        "kind",
        "kind:RESEARCH",
        "kind:ACADEMIC",
        "kind:INNOVATION",
        "year",
        "year:2564",
        "year:2565",
    ]


async def test_list_records_gives_dublin_core_and_deleted_records(
    client: GraphQLClient, public: PublicWorld
) -> None:
    with count_queries() as statements:
        document = await _oai(client, verb="ListRecords", metadataPrefix="oai_dc")

    records = document.findall("o:ListRecords/o:record", NS)
    seen = [*public.published, public.retracted, public.archived]
    assert sorted(_numbers(document)) == sorted(w.registry_number for w in seen)  # type: ignore[union-attr]
    by_number = {
        r.findtext("o:header/o:identifier", namespaces=NS).rsplit(":", 1)[1]: r for r in records
    }  # type: ignore[union-attr]
    live = by_number[public.published[0].registry_number or ""]
    assert (
        live.findtext("o:metadata/oai_dc:dc/dc:title", namespaces=NS)
        == public.published[0].title_th
    )
    assert live.xpath("o:metadata//dc:creator/text()", namespaces=NS)[1] == "ดร.ผู้ร่วม ภายนอก"
    assert live.find("o:header", NS).get("status") is None  # type: ignore[union-attr]
    for gone in (public.retracted, public.archived):
        record = by_number[gone.registry_number or ""]  # type: ignore[union-attr]
        assert record.find("o:header", NS).get("status") == "deleted"  # type: ignore[union-attr]
        assert record.find("o:metadata", NS) is None
    assert public.registered.registry_number not in by_number  # type: ignore[union-attr]
    assert len(statements) <= 6


async def test_get_record_and_list_identifiers(client: GraphQLClient, public: PublicWorld) -> None:
    work = public.published[1]
    identifier = identifier_of(work.registry_number or "")

    record = await _oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
    deleted = await _oai(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=identifier_of(public.retracted.registry_number or ""),  # type: ignore[union-attr]
    )
    identifiers = await _oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert _numbers(record) == [work.registry_number]
    assert record.xpath("//o:setSpec/text()", namespaces=NS) == [
        f"unit:{public.world.unit.code}",
        "kind:ACADEMIC",
        "year:2565",
    ]
    assert deleted.xpath("//o:header/@status", namespaces=NS) == ["deleted"]
    assert len(_numbers(identifiers)) == 5
    assert identifiers.find("o:ListIdentifiers/o:record", NS) is None


async def test_sets_and_dates_select_records(client: GraphQLClient, public: PublicWorld) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    stamps = sorted(w.updated_at for w in public.published)

    in_2564 = await _oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="year:2564")
    kinds = await _oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="kind")
    from_second = await _oai(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": datestamp(stamps[0])}
    )
    until_day = await _oai(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        until=later.date().isoformat(),
    )
    future = await _oai(
        client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": later.date().isoformat()}
    )

    assert _numbers(in_2564) == [public.published[2].registry_number]
    assert len(_numbers(kinds)) == 5
    assert public.published[0].registry_number in _numbers(from_second)
    assert len(_numbers(until_day)) == 5
    assert _error(future) == "noRecordsMatch"


async def test_resumption_tokens_page_through_a_list(
    client: GraphQLClient, public: PublicWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oai_pmh, "PAGE_SIZE", 2)
    seen: list[str] = []

    document = await _oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    cursors = []
    while True:
        seen += _numbers(document)
        token = document.find("o:ListIdentifiers/o:resumptionToken", NS)
        assert token is not None
        cursors.append(int(token.get("cursor", "-1")))
        if not token.text:
            break
        assert token.get("completeListSize") == "5"
        assert token.get("expirationDate")
        if len(seen) == 2:
            # A record that changes mid-harvest moves to the end: nothing is skipped.
            changed = await Work.get(registry_number=seen[0])
            await changed.save()
        document = await _oai(client, verb="ListIdentifiers", resumptionToken=token.text)

    assert cursors == [0, 2, 4]
    assert len(set(seen)) == 5
    assert seen[-1] == seen[0]


async def test_tokens_expire_and_cannot_be_forged(
    client: GraphQLClient, public: PublicWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oai_pmh, "PAGE_SIZE", 2)
    first = await _oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = first.findtext("o:ListRecords/o:resumptionToken", namespaces=NS)
    assert token
    body, _, signature = token.partition(".")

    forged = await _oai(client, verb="ListRecords", resumptionToken=body + "x." + signature)
    monkeypatch.setattr(oai_pmh, "TOKEN_LIFETIME", timedelta(seconds=-1))
    stale_token = (await _oai(client, verb="ListRecords", metadataPrefix="oai_dc")).findtext(
        "o:ListRecords/o:resumptionToken", namespaces=NS
    )
    stale = await _oai(client, verb="ListRecords", resumptionToken=stale_token or "")

    assert _error(forged) == "badResumptionToken"
    assert _error(stale) == "badResumptionToken"


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "kind"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:red"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marcxml"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:elsewhere:LO-2565-0001",
            },
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "nothing"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "kind:POEM"}, "noRecordsMatch"),
    ],
)
async def test_every_error_is_valid_oai_pmh(
    client: GraphQLClient, public: PublicWorld, arguments: dict[str, str], code: str
) -> None:
    document = await _oai(client, **arguments)

    assert _error(document) == code
    # Bad verbs and arguments are not echoed back.
    if code in ("badVerb", "badArgument"):
        assert document.find("o:request", NS).attrib == {}  # type: ignore[union-attr]


async def test_repeated_arguments_and_a_post(client: GraphQLClient, public: PublicWorld) -> None:
    repeated = await _http(client).get("/oai?verb=Identify&verb=Identify")
    twice = await _http(client).get("/oai?verb=ListSets&resumptionToken=a&resumptionToken=b")
    posted = await _http(client).post("/oai", data={"verb": "Identify"})

    assert _error(etree.fromstring(repeated.content)) == "badVerb"
    assert _error(etree.fromstring(twice.content)) == "badArgument"
    posted_document = etree.fromstring(posted.content)
    assert _SCHEMA.validate(posted_document)
    assert posted_document.find("o:Identify", NS) is not None


async def test_an_empty_repository_has_no_set_hierarchy(client: GraphQLClient) -> None:
    sets = await _oai(client, verb="ListSets")
    by_set = await _oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="kind:RESEARCH")
    identify = await _oai(client, verb="Identify")

    assert _error(sets) == "noSetHierarchy"
    assert _error(by_set) == "noSetHierarchy"
    assert identify.find("o:Identify", NS) is not None
