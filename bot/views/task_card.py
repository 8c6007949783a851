"""The co-worker's task card: what to do, the steps to tick, and the day's answers.

Layout (agreed for every card): the text; for an open task with its steps in view, one
button per step ("☐ 1. Hämta kannan", TICK_STEP); then [✅ Klar] [🙋 Jag behöver hjälp];
then [⏰ Senare] [🌙 Inte idag]. A first-time task always has its steps in view; a
familiar one shows them after "Visa stegen".
"""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.i18n import Texts
from bot.rules.not_today import NOT_TODAY_REASONS
from bot.telegram.callbacks import Action, Callback, NotTodayReason, TickStep
from bot.telegram.rendered import Button, Rendered
from bot.views.step_pictures import PICTURE_MARK, has_step_pictures, step_line, steps_below
from storage.models import Attachment, AttachmentKind, PlannedTask, TaskStatus, TaskTemplate

DONE_MARK = "✅"
STEP_TICKED = "☑"
STEP_OPEN = "☐"
BUTTON_LENGTH = 40  # longer step texts are cut on the button; the card text has them whole

_REASON_KEYS = {
    "tired": "not_today.reason_tired",
    "no_time": "not_today.reason_no_time",
    "other": "not_today.reason_other",
    None: "not_today.reason_skip",
}


def full_instructions(t: Texts, template: TaskTemplate) -> list[Markup]:
    """Everything the method asks for the first time: what, why, and every step."""
    lines = [Markup("<b>{}</b>").format(template.title)]
    if template.instructions:
        lines += [Markup(), escape(template.instructions)]
    if template.goal:
        lines += [Markup(), t("card.goal", goal=template.goal)]
    if template.steps:
        lines += [Markup(), t("card.steps")]
        lines += [
            step_line(s.position, s.text) + (" " + PICTURE_MARK if s.photo_file_id else "")
            for s in template.steps
        ]
    return lines


def has_more(template: TaskTemplate) -> bool:
    """Whether "Visa stegen" would show anything a familiar card does not."""
    return bool(template.steps or template.attachments)


def media(template: TaskTemplate) -> list[Attachment]:
    """The attachments sent as messages of their own after the card (links are in it)."""
    return [a for a in template.attachments if a.kind is not AttachmentKind.LINK]


def step_progress(t: Texts, task: PlannedTask) -> Markup:
    total = len(task.template.steps)
    done = len({i for i in task.steps_done if 0 <= i < total})
    if done == 0:
        return t("card.steps_hint")
    if done == total:
        return t("card.steps_all_done")
    return t("card.steps_progress", done=done, total=total)


def _title(task: PlannedTask) -> Markup:
    return _bold(task.template.title)


def _bold(title: str) -> Markup:
    return Markup("<b>{}</b>").format(title)


def _support_line(t: Texts, task: PlannedTask) -> list[Markup]:
    if not task.with_support:
        return []
    part = task.template.support_part
    return [t("card.support_part", part=escape(part)) if part else t("card.with_support")]


def _attachment_lines(t: Texts, template: TaskTemplate) -> list[Markup]:
    lines: list[Markup] = []
    for attachment in template.attachments:
        caption = escape(attachment.caption) if attachment.caption else None
        if attachment.kind is AttachmentKind.LINK and attachment.url:
            url = escape(attachment.url)
            lines.append(
                t("card.link", caption=caption, url=url) if caption else Markup("🔗 {}").format(url)
            )
        elif attachment.kind is AttachmentKind.LOCATION and caption:
            lines.append(t("card.place", caption=caption))
    return lines


def _status_line(t: Texts, task: PlannedTask) -> list[Markup]:
    if task.status is TaskStatus.HELP:
        return [t("card.help_asked")]
    if task.status is TaskStatus.NOT_TODAY:
        return [t("card.put_off")]
    return []


def _step_rows(task: PlannedTask) -> list[list[Button]]:
    ticked = set(task.steps_done)
    rows = []
    for index, step in enumerate(task.template.steps):
        mark = STEP_TICKED if index in ticked else STEP_OPEN
        label = f"{mark} {index + 1}. {step.text}"
        if len(label) > BUTTON_LENGTH:
            label = label[: BUTTON_LENGTH - 1].rstrip() + "…"
        rows.append([Button(label, TickStep(task.id, index).callback())])
    return rows


def answer_rows(t: Texts, task: PlannedTask) -> list[list[Button]]:
    """The two rows every open card ends with."""
    return [
        [
            Button(t("button.done"), Callback(Action.DONE, task.id)),
            Button(t("card.button_help"), Callback(Action.HELP, task.id)),
        ],
        [
            Button(t("card.button_later"), Callback(Action.LATER, task.id)),
            Button(t("card.button_not_today"), Callback(Action.NOT_TODAY, task.id)),
        ],
    ]


def task_card(t: Texts, task: PlannedTask, *, steps_shown: bool = False) -> Rendered:
    """A first-time task shows what to do, why, and every step to tick; a familiar one
    is one line until its steps are shown. A finished task shows that it is done."""
    if task.status is TaskStatus.DONE:
        return done_card(t, task.template.title)
    template = task.template
    in_view = task.first_time or steps_shown
    head = [_title(task)]
    if task.first_time and template.instructions:
        head.append(escape(template.instructions))
    blocks = [head]
    if task.first_time and template.goal:
        blocks.append([t("card.goal", goal=escape(template.goal))])
    about = [t("card.minutes", minutes=template.expected_minutes), *_support_line(t, task)]
    if in_view:
        about += _attachment_lines(t, template)
    about += _status_line(t, task)
    if len(blocks) == 1 and len(head) == 1:
        head += about  # a familiar card: the title and what to know, close together
    else:
        blocks.append(about)
    rows: list[list[Button]] = []
    if in_view and template.steps:
        steps = [step_line(n, step.text) for n, step in enumerate(template.steps, 1)]
        if has_step_pictures(template):  # each step comes below, with its picture
            steps = [steps_below(t)]
        blocks += [[t("card.steps"), *steps], [step_progress(t, task)]]
        rows += _step_rows(task)
    elif not in_view and has_more(template):
        rows.append([Button(t("card.button_show_steps"), Callback(Action.SHOW_STEPS, task.id))])
    text = Markup("\n\n").join(Markup("\n").join(block) for block in blocks)
    return Rendered(text, rows + answer_rows(t, task))


def done_card(t: Texts, title: str) -> Rendered:
    """The card of a task that is done (only its title is needed: "Done" at once reads
    nothing else of it)."""
    return Rendered(
        Markup("\n").join([_bold(title), Markup(), Markup(DONE_MARK + " ") + t("card.done")])
    )


def confirm_done(t: Texts, task: PlannedTask) -> Rendered:
    """Done was pressed with steps left: one question, two answers."""
    lines = [_title(task), Markup(), step_progress(t, task), t("card.all_done_question")]
    return Rendered(
        Markup("\n").join(lines),
        [
            [Button(t("card.button_done_anyway"), Callback(Action.DONE_ANYWAY, task.id))],
            [Button(t("card.button_not_yet"), Callback(Action.SHOW_STEPS, task.id))],
        ],
    )


def ask_reason(t: Texts, task: PlannedTask) -> Rendered:
    """The task is put off; the co-worker may say why, or not."""
    buttons = [
        Button(t(_REASON_KEYS[reason]), NotTodayReason(task.id, i).callback())
        for i, reason in enumerate(NOT_TODAY_REASONS)
    ]
    lines = [_title(task), Markup(), t("not_today.okay"), t("not_today.why")]
    return Rendered(Markup("\n").join(lines), [buttons[:2], buttons[2:]])


def put_off(t: Texts, task: PlannedTask) -> Rendered:
    """The answer once the co-worker has said why (or chosen not to)."""
    lines = [_title(task), Markup(), t("not_today.okay")]
    if task.not_today_reason is not None:
        lines.append(t("not_today.thanks"))
    return Rendered(Markup("\n").join(lines))
