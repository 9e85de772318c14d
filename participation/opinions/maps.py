"""A call's opinion map: computed from its participants' positions, kept at group level, published.

:func:`recompute` reads the call's inputs — statement votes, a survey's Likert questions and
matrix rows, a draft's clause stances — into one participant × item matrix
(:mod:`.inputs`, where each mapping is written down; rows in the order participants were
first seen, as the engine asks), runs :func:`.engine.compute_map` and
stores what :func:`group_level` keeps of it in an :class:`~.models.OpinionMapSnapshot`. It
runs in a background task (``tasks.recompute_opinion_map``), queued after the votes commit
and coalesced so that a burst of votes gives one computation; never in a voter's request.

What is kept is what may be shown (docs/privacy.md, "Opinion maps"), with *k* the call's
suppression threshold (``HADAF_RESULTS_MIN_GROUP``, as for survey results):

* no participant's position, group, id or count of votes: a group is its size, its centre
  and the spread of its members around it (an ellipse), never their points or a hull
  (whose corners would be individual positions);
* a group of fewer than *k* participants is merged into the nearest group (by centre),
  the smallest first; when fewer than *k* participants are in groups at all, the map is
  withheld;
* a group's shares of agree, disagree and pass on a statement only where at least *k* of
  the group voted on it; the everyone-in-a-group share of a statement only where no group's
  share of it is hidden (otherwise everyone minus the shown groups would give the hidden
  one);
* representative, consensus and divisive statements are listed only with shares that are
  shown.

Editors publish one snapshot of a call at a time (:func:`publish`, audited); the public
page and the API read only the published one.
"""

import numpy as np
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from participation import audit
from participation.audit.choices import AuditAction
from participation.choices import Role
from participation.results.aggregates import min_group
from participation.results.disclosure import suppress

from . import engine, inputs
from .models import OpinionMapSnapshot, StatementVote

# 2: items other than statements (``data["columns"]``: a survey's Likert questions and matrix
# rows, a draft's clauses, keyed "<kind>:<id>"). A version-1 snapshot has none: every item is
# a statement (:func:`column_of` reads both).
FORMAT_VERSION = 2
# Unpublished snapshots kept per call besides the published one (the editor compares).
KEEP_UNPUBLISHED = 3
# Sent (``call_key=``) when a call's public map changes: published, replaced or withdrawn.
# The page and API caches (``site``) listen, as they do for pages and decisions.
map_published = Signal()
NO_VALUE = ""  # The breakdown's column of participants with no role or university.


# ---- The vote matrix ------------------------------------------------------------------------

# The matrix and its inputs (statements, a survey's Likert items, a draft's stances) are
# built in :mod:`.inputs`; these names stay for the callers that knew them here.
VoteMatrix = inputs.VoteMatrix


def vote_matrix(call_key):
    """Every input of the call as one :class:`VoteMatrix` (:func:`.inputs.call_matrix`)."""
    return inputs.call_matrix(call_key)


# ---- What is kept ---------------------------------------------------------------------------


def merge_small_groups(labels, positions, threshold):
    """Labels with every group of fewer than ``threshold`` members merged into the nearest.

    The smallest group goes first, into the group whose centre is nearest to its own;
    centres are recomputed after each merge. Returns (labels, how many groups were merged).
    Labels of participants in no group stay -1.
    """
    labels = labels.copy()
    merged = 0
    while True:
        ids = [g for g in np.unique(labels) if g >= 0]
        if len(ids) < 2:
            return labels, merged
        sizes = {g: int((labels == g).sum()) for g in ids}
        small = min(ids, key=lambda g: (sizes[g], g))
        if sizes[small] >= threshold:
            return labels, merged
        centres = {g: positions[labels == g].mean(axis=0) for g in ids}
        nearest = min(
            (g for g in ids if g != small),
            key=lambda g: (float(np.linalg.norm(centres[g] - centres[small])), g),
        )
        labels[labels == small] = nearest
        merged += 1


def ellipse(points):
    """The spread of a group's members: (major, minor) standard deviations and the major
    axis's angle in degrees. A shape of the group, not of anyone in it."""
    if len(points) < 2:
        return [0.0, 0.0, 0.0]
    covariance = np.cov(points.T)
    values, vectors = np.linalg.eigh(covariance)
    values = np.clip(values, 0.0, None)
    major = vectors[:, 1]
    angle = float(np.degrees(np.arctan2(major[1], major[0])))
    return [round(float(np.sqrt(values[1])), 3), round(float(np.sqrt(values[0])), 3), round(angle)]


def share_cell(na, nd, ns, threshold):
    """A group's shares on one statement: ``{n, agree, disagree, pass}`` in whole percent,
    or ``{n: None}`` (hidden) when fewer than ``threshold`` of the group voted on it."""
    na, nd, ns = int(na), int(nd), int(ns)
    if ns == 0:
        return {"n": 0, "agree": None, "disagree": None, "pass": None}
    if ns < threshold:
        return {"n": None}
    agree, disagree = round(100 * na / ns), round(100 * nd / ns)
    return {"n": ns, "agree": agree, "disagree": disagree, "pass": 100 - agree - disagree}


def cell_shown(cell):
    return cell["n"] is not None and cell["n"] > 0


def _everyone_cell(cells, na, nd, ns, threshold):
    """Everyone in a group, on one statement: hidden when any group's share is hidden
    (everyone minus the shown groups would give it back)."""
    if any(cell["n"] is None for cell in cells):
        return {"n": None}
    return share_cell(na, nd, ns, threshold)


def group_level(result, matrix, threshold, profiles=None):
    """What may be stored and shown of an engine result (see the module docstring).

    Args:
        result: the :class:`~.engine.OpinionMap` of ``matrix.votes``.
        matrix: the :class:`VoteMatrix` it was computed from.
        threshold: the call's suppression threshold *k*.
        profiles: ``{account id: (role, university name)}`` for the editor's breakdown.

    Returns:
        dict: the snapshot's ``data``.
    """
    labels, merged = merge_small_groups(result.labels, result.coordinates, threshold)
    ids = sorted((g for g in np.unique(labels) if g >= 0), key=lambda g: (-(labels == g).sum(), g))
    in_groups = int(sum((labels == g).sum() for g in ids))
    data = {
        "version": FORMAT_VERSION,
        "threshold": threshold,
        "participants": int(result.n_participants),
        "in_groups": in_groups,
        "merged": merged,
        "withheld": False,
        "groups": [],
        "items": {},
        "representative": [],
        "consensus": [],
        "divisive": [],
        "breakdown": {},
        "columns": {},
    }
    if not ids or in_groups < threshold:
        data.update(withheld=bool(result.n_participants), in_groups=0)
        return data
    masks = [labels == g for g in ids]
    raw = matrix.votes
    stats = engine.all_group_stats(raw, masks)
    excluded = set(matrix.excluded)
    reported = [i for i in np.flatnonzero(~np.isnan(raw).all(axis=0)) if i not in excluded]
    for number, mask in enumerate(masks, start=1):
        points = result.coordinates[mask]
        data["groups"].append(
            {
                "key": number,
                "size": int(mask.sum()),
                "center": [round(float(x), 3) for x in points.mean(axis=0)],
                "spread": ellipse(points),
            }
        )
    for item in reported:
        cells = [share_cell(s.na[item], s.nd[item], s.ns[item], threshold) for s in stats]
        everyone = _everyone_cell(
            cells,
            sum(s.na[item] for s in stats),
            sum(s.nd[item] for s in stats),
            sum(s.ns[item] for s in stats),
            threshold,
        )
        data["items"][matrix.statements[item]] = {"groups": cells, "all": everyone}
        column = matrix.columns.get(matrix.statements[item])
        if column is not None:
            data["columns"][column.key] = column.stored()

    def shown_for(item, groups=None):
        cells = data["items"][matrix.statements[item]]["groups"]
        return all(
            cell_shown(cells[g]) for g in (groups if groups is not None else range(len(cells)))
        )

    if len(ids) > 1:
        for number, group_stats in enumerate(stats):
            data["representative"].append(
                [
                    {
                        "statement": matrix.statements[row.item],
                        "direction": row.repful_for,
                        "significant": bool(row.significant_90),
                    }
                    for row in engine.representative_items(group_stats, reported)
                    if shown_for(row.item, [number])
                ]
            )
        data["divisive"] = [
            {"statement": matrix.statements[row.item], "direction": row.direction}
            for row in engine.divisive_items(stats, reported)
            if shown_for(row.item)
        ]
    agree, disagree = engine.group_aware_consensus(stats)
    data["consensus"] = [
        {"statement": matrix.statements[row.item], "direction": row.direction}
        for row in engine.top_group_consensus(stats, agree, disagree, reported)
        if min(row.p_by_group) > 0.5 and shown_for(row.item)
    ]
    if profiles:
        # Rows with no profile (a response with no account) are left out: nothing to count.
        members = [
            [
                matrix.participants[row]
                for row in np.flatnonzero(mask)
                if matrix.participants[row] in profiles
            ]
            for mask in masks
        ]
        data["breakdown"] = {
            "role": breakdown(members, {pk: p[0] for pk, p in profiles.items()}, threshold),
            "university": breakdown(members, {pk: p[1] for pk, p in profiles.items()}, threshold),
        }
    return data


def breakdown(members, value_of, threshold):
    """Groups × a profile value (role or university), with disclosure control.

    Every count above 0 and below ``threshold`` is hidden, and then, as for survey
    cross-tabs, enough others in its row and column that it cannot be worked out from the
    group's size (shown) and the column's total (:func:`.results.disclosure.suppress`).

    Returns:
        dict: ``{"columns": [value], "rows": [[count or None per column]], "totals":
        [count or None per column]}``; ``""`` is the column of no value.
    """
    columns = sorted({value_of.get(pk) or NO_VALUE for group in members for pk in group})
    counts = {}
    for g, group in enumerate(members):
        for pk in group:
            key = (g, value_of.get(pk) or NO_VALUE)
            counts[key] = counts.get(key, 0) + 1
    values = {(g, c): counts.get((g, c), 0) for g in range(len(members)) for c in columns}
    values.update({("size", g): len(group) for g, group in enumerate(members)})
    values.update({("total", c): sum(values[(g, c)] for g in range(len(members))) for c in columns})
    lines = [(("size", g), [(g, c) for c in columns]) for g in range(len(members))]
    lines += [(("total", c), [(g, c) for g in range(len(members))]) for c in columns]
    sizes = [("size", g) for g in range(len(members))]
    hidden = suppress(values, lines, threshold, shown=sizes)
    return {
        "columns": columns,
        "rows": [
            [None if (g, c) in hidden else values[(g, c)] for c in columns]
            for g in range(len(members))
        ],
        "totals": [None if ("total", c) in hidden else values[("total", c)] for c in columns],
    }


def profiles_of(account_ids):
    """``{account id: (role, university name)}`` of the accounts, in one query."""
    from django.contrib.auth import get_user_model

    rows = (
        get_user_model()
        .objects.filter(pk__in=account_ids)
        .values_list("pk", "role", "university__name")
    )
    return {pk: (role or NO_VALUE, university or NO_VALUE) for pk, role, university in rows}


# ---- Computing and storing ------------------------------------------------------------------


def compute(call_key, *, seed=0, threshold=None):
    """The group-level map of the call's votes now: ``(data, matrix)``, nothing stored."""
    threshold = threshold or min_group()
    matrix = vote_matrix(call_key)
    if not matrix.participants:
        empty = group_level(_empty_result(), matrix, threshold)
        return empty, matrix
    result = engine.compute_map(matrix.votes, seed=seed, excluded_items=matrix.excluded)
    profiles = profiles_of(matrix.accounts) if matrix.accounts else None
    data = group_level(result, matrix, threshold, profiles=profiles)
    return data, matrix


def _empty_result():
    return engine.OpinionMap(
        n_participants=0,
        n_items=0,
        clustered=np.zeros(0, dtype=bool),
        coordinates=np.zeros((0, 2)),
        labels=np.zeros(0, dtype=int),
        groups=(),
        silhouette_by_k={},
        consensus=(),
        group_consensus=(),
        divisive=(),
        group_aware_consensus_agree=np.zeros(0),
        group_aware_consensus_disagree=np.zeros(0),
        item_extremity=np.zeros(0),
        item_priority=np.zeros(0),
        components=np.zeros((2, 0)),
        center=np.zeros(0),
        base_labels=np.zeros(0, dtype=int),
        base_centers=np.zeros((0, 2)),
    )


def recompute(call_key, *, seed=0):
    """Compute the call's map from its votes now and store it as a new, unpublished
    snapshot; older unpublished snapshots beyond :data:`KEEP_UNPUBLISHED` are deleted.

    Returns ``None``, storing nothing, for a call with nothing to map (no statement, no
    Likert item, no clause) and no map yet: a survey of text questions gets no empty maps.
    """
    data, matrix = compute(call_key, seed=seed)
    if not matrix.statements and latest(call_key) is None:
        return None
    with transaction.atomic():
        snapshot = OpinionMapSnapshot.objects.create(
            call_key=call_key,
            data=data,
            participant_count=len(matrix.participants),
            vote_count=matrix.vote_count,
        )
        stale = OpinionMapSnapshot.objects.filter(call_key=call_key, published=False).values_list(
            "pk", flat=True
        )[KEEP_UNPUBLISHED:]
        OpinionMapSnapshot.objects.filter(pk__in=list(stale)).delete()
    return snapshot


def latest(call_key):
    """The call's most recently computed snapshot, or ``None``."""
    return OpinionMapSnapshot.objects.filter(call_key=call_key).first()


def published(call_key):
    """The call's published snapshot, or ``None``."""
    return OpinionMapSnapshot.objects.filter(call_key=call_key, published=True).first()


def published_by_call(call_keys):
    """``{call key: published snapshot}`` of the calls, in one query."""
    snapshots = OpinionMapSnapshot.objects.filter(call_key__in=list(call_keys), published=True)
    return {snapshot.call_key: snapshot for snapshot in snapshots}


def votes_since(snapshot):
    """How many votes of the call were cast or changed after ``snapshot`` was computed."""
    return StatementVote.objects.filter(
        statement__call_key=snapshot.call_key, updated_at__gt=snapshot.computed_at
    ).count()


def stale_calls():
    """Call keys whose inputs changed after their latest snapshot (or with none yet).

    Inputs: statement votes, survey responses (by when they were stored or changed: an
    anonymous response keeps only its day, so one opened later that day waits for the
    signal-queued run or the next day's), and the registered sources' ``last_changed``.
    """
    from django.db.models import Max

    from participation.submissions.models import Submission

    last_input = dict(
        StatementVote.objects.values("statement__call_key")
        .annotate(last=Max("updated_at"))
        .values_list("statement__call_key", "last")
    )
    last_response = (
        Submission.objects.values("call_key")
        .annotate(last=Max("updated_at"))
        .values_list("call_key", "last")
    )
    changes = [last_response]
    changes += [source.last_changed().items() for source in inputs.registered_sources()]
    for pairs in changes:
        for key, changed in pairs:
            if key not in last_input or changed > last_input[key]:
                last_input[key] = changed
    last_map = dict(
        OpinionMapSnapshot.objects.values("call_key")
        .annotate(last=Max("computed_at"))
        .values_list("call_key", "last")
    )
    return sorted(
        (
            key
            for key, changed in last_input.items()
            if key not in last_map or changed > last_map[key]
        ),
        key=str,
    )


# ---- Publishing -----------------------------------------------------------------------------


def publish(editor, call, snapshot):
    """Publish ``snapshot`` of ``call`` (replacing the one published before); audited."""
    if snapshot.call_key != call.call_key:
        raise ValueError("the snapshot is not of this call")
    with transaction.atomic():
        OpinionMapSnapshot.objects.filter(call_key=call.call_key, published=True).exclude(
            pk=snapshot.pk
        ).update(published=False)
        snapshot.published = True
        snapshot.published_at = timezone.now()
        snapshot.published_by = editor
        snapshot.save(update_fields=["published", "published_at", "published_by"])
        audit.record(
            editor,
            AuditAction.PUBLISH_RESULTS,
            target=call,
            call=call,
            what="opinion_map",
            snapshot=snapshot.pk,
            groups=len(snapshot.data.get("groups", [])),
        )
        map_published.send(sender=OpinionMapSnapshot, call_key=call.call_key)
    return snapshot


def unpublish(editor, call):
    """Withdraw the call's published map (if any); audited. Returns whether one was."""
    with transaction.atomic():
        current = published(call.call_key)
        if current is None:
            return False
        OpinionMapSnapshot.objects.filter(pk=current.pk).update(published=False)
        audit.record(
            editor,
            AuditAction.UNPUBLISH_RESULTS,
            target=call,
            call=call,
            what="opinion_map",
            snapshot=current.pk,
        )
        map_published.send(sender=OpinionMapSnapshot, call_key=call.call_key)
    return True


def column_of(data, key):
    """What item ``key`` of a snapshot's ``data`` is: its stored column (kind, label and
    text by language), or ``None`` for a statement (every item of a version-1 snapshot)."""
    return (data.get("columns") or {}).get(key)


def in_language(by_language):
    """The active language's value of ``{language code: text}``, else the first one."""
    from django.utils import translation

    if not by_language:
        return ""
    language = translation.get_language() or ""
    for code in (language, language.split("-")[0]):
        if by_language.get(code):
            return by_language[code]
    return next(iter(by_language.values()))


def item_texts(data, statement_texts):
    """``{item key: (kind, name, wording)}`` of a snapshot's listed items, for people.

    Statements take their text from ``statement_texts`` (``{uuid: text}``, the published
    ones: a statement moderated out since is left out); other items their stored label and
    text in the active language.
    """
    keys = {row["statement"] for rows in data.get("representative", []) for row in rows}
    keys |= {row["statement"] for row in data.get("consensus", []) + data.get("divisive", [])}
    keys |= set(data.get("items", {}))
    out = {}
    for key in keys:
        column = column_of(data, key)
        if column is not None:
            out[key] = (column["kind"], in_language(column["label"]), in_language(column["text"]))
        elif key in statement_texts:
            out[key] = (inputs.STATEMENT, statement_texts[key], "")
    return out


def role_label(value):
    """A role's label for the breakdown (``""``: no role)."""
    if value in Role.values:
        return str(Role(value).label)
    return value
