"""Planted opinion groups for the opinion-map tests: who votes what on the seeded statements."""

from participation.opinions.models import StatementVote
from tests.people.factories import UserFactory

# Each pattern is one group's votes on the eight seeded statements (1 agree, -1 disagree).
PATTERNS = {
    "a": [1, 1, 1, 1, -1, -1, -1, 1],
    "b": [-1, -1, -1, -1, 1, 1, 1, 1],
    "c": [1, -1, 1, -1, 1, -1, 1, 1],
}


def plant(statements, sizes, *, roles=None, flip_every=0, **profile):
    """Users voting by pattern: ``sizes`` ``{pattern: how many}``; returns {pattern: [users]}.

    ``flip_every``: every n-th vote of a person is the opposite (noise), 0 for none.
    ``roles``: ``{pattern: [role per member]}``.
    """
    people = {}
    for name, size in sizes.items():
        members = []
        for index in range(size):
            role = (roles or {}).get(name, ["student"] * size)[index]
            user = UserFactory(role=role, **profile)
            for position, (statement, value) in enumerate(
                zip(statements, PATTERNS[name], strict=False)
            ):
                if flip_every and (index + position) % flip_every == 0:
                    value = -value
                StatementVote.objects.create(statement=statement, participant=user, value=value)
            members.append(user)
        people[name] = members
    return people
