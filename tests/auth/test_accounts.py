"""Accounts and people: administrators link and unlink them and see who waits; a person
corrects their own contact details."""

from models.audit import AuditEvent
from models.org import Person
from tests.helpers import GraphQLClient, count_queries, make_user
from tests.works.test_works import CREATE, _input
from tests.world import gid, make_world

LINK = """mutation Link($input: UserLinkPersonInput!) { userLinkPerson(input: $input) {
    user { username person { firstNameTh } } person { firstNameTh } errors { code field } } }"""
UNLINK = """mutation Unlink($input: UserUnlinkPersonInput!) { userUnlinkPerson(input: $input) {
    user { username person { id } } errors { code field } } }"""
WAITING = """query Waiting($first: Int) { usersWaitingForPerson(first: $first) {
    totalCount nodes { username person { id } roles } } }"""
MINE = "{ myContactDetails { email lineUserId version person { firstNameTh hasLineUserId } } }"
ME_UPDATE = """mutation Me($input: MeUpdateInput!) { meUpdate(input: $input) {
    contactDetails { email lineUserId version } errors { code field } } }"""
LINE_ID = "U" + "0123456789abcdef" * 2


async def test_an_administrator_links_a_waiting_account_which_can_then_act(
    client: GraphQLClient, admin: GraphQLClient
) -> None:
    world = await make_world(with_cycle=False)
    innovator_user = await make_user("innovator1")
    innovator = client.signed_in_as(innovator_user)
    person = world.people["กัญญาดา"]
    waiting = (await admin.data(WAITING))["usersWaitingForPerson"]
    assert "innovator1" in [n["username"] for n in waiting["nodes"]]

    linked = await admin.data(
        LINK,
        {
            "input": {
                "user": gid("User", innovator_user.id),
                "person": gid("Person", person.id),
                "reason": "บุคลากรใหม่",
            }
        },
    )

    assert linked["userLinkPerson"] == {
        "user": {"username": "innovator1", "person": {"firstNameTh": "กัญญาดา"}},
        "person": {"firstNameTh": "กัญญาดา"},
        "errors": [],
    }
    created = (await innovator.data(CREATE, {"input": _input(world)}))["workCreate"]
    assert created["errors"] == []
    waiting = (await admin.data(WAITING))["usersWaitingForPerson"]
    assert "innovator1" not in [n["username"] for n in waiting["nodes"]]
    event = await AuditEvent.get(action="person.link_user", object_id=str(person.id))
    assert (event.before, event.after, event.reason) == (
        {"user": None},
        {"user": innovator_user.id},
        "บุคลากรใหม่",
    )


async def test_a_link_needs_both_free_and_an_unlink_frees_them(admin: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    member = world.users["MEMBER"]  # linked to กนกานต์
    newcomer = await make_user("newcomer")

    taken_person = await admin.data(
        LINK,
        {
            "input": {
                "user": gid("User", newcomer.id),
                "person": gid("Person", world.people["กนกานต์"].id),
            }
        },
    )
    taken_user = await admin.data(
        LINK,
        {
            "input": {
                "user": gid("User", member.id),
                "person": gid("Person", world.people["กัญญาดา"].id),
            }
        },
    )
    unlinked = await admin.data(UNLINK, {"input": {"user": gid("User", member.id)}})
    again = await admin.data(UNLINK, {"input": {"user": gid("User", member.id)}})

    assert taken_person["userLinkPerson"]["errors"] == [
        {"code": "DUPLICATE", "field": ["input", "person"]}
    ]
    assert taken_user["userLinkPerson"]["errors"] == [
        {"code": "DUPLICATE", "field": ["input", "user"]}
    ]
    assert unlinked["userUnlinkPerson"] == {
        "user": {"username": "member", "person": None},
        "errors": [],
    }
    assert again["userUnlinkPerson"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["input", "user"]}
    ]
    assert (await Person.get(id=world.people["กนกานต์"].id)).user_id is None


async def test_the_waiting_list_costs_the_same_statements_for_any_page_size(
    admin: GraphQLClient,
) -> None:
    for n in range(6):
        await make_user(f"waiting{n}")

    with count_queries() as two:
        small = (await admin.data(WAITING, {"first": 2}))["usersWaitingForPerson"]
    with count_queries() as six:
        large = (await admin.data(WAITING, {"first": 6}))["usersWaitingForPerson"]

    assert len(small["nodes"]) == 2 and len(large["nodes"]) == 6
    assert small["totalCount"] == large["totalCount"] == 7  # and the administrator
    assert len(two) == len(six), six


async def test_a_person_corrects_their_own_contact_details(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    member = world.client(client, "MEMBER")
    version = (await member.data(MINE))["myContactDetails"]["version"]

    saved = await member.data(
        ME_UPDATE,
        {
            "input": {
                "version": version,
                "email": "kanokan@anamai.moph.go.th",
                "lineUserId": LINE_ID,
            }
        },
    )
    stale = await member.data(ME_UPDATE, {"input": {"version": version, "email": None}})
    wrong = await member.data(
        ME_UPDATE, {"input": {"version": version + 1, "lineUserId": "not-a-line-id"}}
    )

    assert saved["meUpdate"] == {
        "contactDetails": {
            "email": "kanokan@anamai.moph.go.th",
            "lineUserId": LINE_ID,
            "version": version + 1,
        },
        "errors": [],
    }
    assert stale["meUpdate"]["errors"] == [{"code": "STALE_VERSION", "field": ["input", "version"]}]
    assert wrong["meUpdate"]["errors"][0]["field"] == ["input", "lineUserId"]
    mine = (await member.data(MINE))["myContactDetails"]
    assert mine["person"] == {"firstNameTh": "กนกานต์", "hasLineUserId": True}
    assert await AuditEvent.exists(action="person.update_self", actor_id=world.users["MEMBER"].id)


async def test_an_account_without_a_person_has_no_contact_details(client: GraphQLClient) -> None:
    loner = client.signed_in_as(await make_user("loner"))

    assert (await loner.data(MINE))["myContactDetails"] is None
    body = await loner.data(ME_UPDATE, {"input": {"version": 1, "email": "a@b.go.th"}})
    assert body["meUpdate"]["errors"] == [{"code": "NOT_FOUND", "field": None}]
