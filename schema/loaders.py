"""DataLoaders, created once per request (in the context) and loading through id columns."""

from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property

from strawberry.dataloader import DataLoader

from models.user import Role, RoleGrant, User


async def _users_by_id(ids: Sequence[int]) -> list[User | None]:
    rows = {u.id: u for u in await User.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def _roles_by_user(ids: Sequence[int]) -> list[list[Role]]:
    roles: defaultdict[int, list[Role]] = defaultdict(list)
    for user_id, role in (
        await RoleGrant.filter(user_id__in=ids).order_by("role").values_list("user_id", "role")
    ):
        roles[user_id].append(Role(role))
    return [roles[i] for i in ids]


class Loaders:
    """One attribute per loader; each is built on first use within the request."""

    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        return DataLoader(_users_by_id)

    @cached_property
    def roles_of_user(self) -> DataLoader[int, list[Role]]:
        return DataLoader(_roles_by_user)
