"""Status-change notices: every change of status is told to the people it concerns, in the
transaction of the change — in the app, and by e-mail or LINE as each person chose.

**The catalogue** (``catalogue.py``): one entry per ``NoticeEvent`` — the model of its subject
(the object the notification points at), who is told (the audience: authors of a work, entrants
of an entry, the judges of a contest, those responsible for a step, the unit's chair and
secretary for a submitted report, the reporters for a recorded one; events whose people the
change names — a judge assigned, a sheet reopened, people named responsible — get them from the
caller), the placeholders its templates may use and its default Thai and English wording:

- Work (authors, creator): WORK_RETURNED (reason), WORK_REGISTERED, WORK_PUBLISHED (link,
  channels), WORK_RETRACTED (reason);
- Entry (entrants): ENTRY_SUBMITTED (a receipt), ENTRY_SCREENED_OUT and ENTRY_RETURNED
  (comment), ENTRY_SHORTLISTED, ENTRY_PRESENTED; ENTRY_AWARDED (award, rank) and
  ENTRY_NOT_AWARDED at results publication only;
- Entry (the judge): JUDGE_ASSIGNED, SHEET_REOPENED (reason);
- Contest (its judges): RESULTS_PUBLISHED;
- CycleStep (those responsible): STEP_RESPONSIBLE (those newly named), STEP_STARTED,
  STEP_COMPLETED, STEP_REOPENED (reason);
- ProgressReport: REPORT_SUBMITTED (the unit's chair and secretary), REPORT_RECORDED in DOC 4.0
  (its creator and submitter).

Plans and activities keep their own notifications (``services/notifications.notify``).

**One call** at each transition, inside the change's transaction:
``await notices.tell(connection, NoticeEvent.X, row, actor=actor, **params)``. It drops the
one who made the change (but for receipts), inactive accounts and anyone the subject's read rule
(registered by its domain with ``readable(Model, visible_things)``) hides it from — a notice
never reveals an object its reader cannot see — renders the event's template (an
administrator's, or the catalogue's) in Thai and English, and writes per recipient a
``Notification`` and, by their ``NotificationPreference`` (IN_APP: nothing more; EMAIL, the
default; LINE), a ``Notice`` with its outbox message (action NOTIFY). A rolled-back change
leaves none of them.

**Once only.** Each is keyed ``<event>:<subject id>:<change>:<user>`` (``change`` is the
subject's version unless the caller names it), the notice with its channel appended; both keys
are unique in the database, so a change is told once however it is retried. The worker sends
through ``services/outbound.py`` like the reminders: LINE with a fixed retry key, e-mail marked
in doubt before DATA and never sent again after a crash, so a restarted worker never tells
twice.

**Digest.** A notice for someone who chose the daily digest waits (``digest``, no outbox
message); ``send_digests`` (a scan of the worker loop) gathers each account's waiting notices
per channel into one digest notice keyed by the day, after ``LOHUB_NOTICE_DIGEST_HOUR``.

**Unsubscribing.** Each e-mail carries a signed link (``services/signed_links.py``) in its
body and in ``List-Unsubscribe``, with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``;
the public route ``/notifications/unsubscribe`` sets the account to in-app only.
"""

from models.notice import NoticeEvent
from services.notices import delivery
from services.notices.telling import readable, tell

__all__ = ["NoticeEvent", "delivery", "readable", "tell"]
