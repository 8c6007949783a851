"""Reading a catalogue file: bytes to text, YAML to checked tasks, all or nothing.

A file that is wrong anywhere is refused whole with one :class:`CatalogueFileError`,
naming the line: the YAML nodes keep their line numbers, and a pydantic error is
found back to its line through them. The format itself is ``catalogue_format``.
"""

from __future__ import annotations

import re

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.i18n import PlainTexts, Texts
from bot.services.catalogue.fileformat import KIND_TAG, RANGES, CatalogueSpec, TemplateSpec

MAX_BYTES = 1024 * 1024  # 1 MB
MAX_TASKS = 1000
# Control characters (a YAML escape such as "\0" makes one) cannot be stored by
# PostgreSQL (NUL) or shown; tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CatalogueFileError(Exception):
    """The file is refused. ``reason`` names ``catalogue.reason.<reason>`` in the catalogues;
    ``line`` (1-based) and ``field`` say where, when known."""

    def __init__(
        self,
        reason: str,
        /,
        *,
        line: int | None = None,
        field: str | None = None,
        **values: object,
    ) -> None:
        where = f"line {line}, {field}: " if field else f"line {line}: " if line else ""
        super().__init__(f"{where}{reason} {values or ''}".strip())
        self.reason = reason
        self.line = line
        self.field = field
        self.values = values

    def text(self, t: Texts | PlainTexts) -> str:
        """One line for a person, in their language."""
        why = t(f"catalogue.reason.{self.reason}", **self.values)
        if self.line is None:
            return t("catalogue.error", reason=why)
        if self.field is None:
            return t("catalogue.error_line", line=self.line, reason=why)
        return t("catalogue.error_field", line=self.line, field=self.field, reason=why)


def decode(data: bytes) -> str:
    """A file's bytes as text: at most 1 MB, UTF-8 (a byte order mark is allowed)."""
    if len(data) > MAX_BYTES:
        raise CatalogueFileError("too_big", limit="1 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogueFileError("encoding") from None


def parse_catalogue(text: str) -> list[TemplateSpec]:
    """The tasks of a catalogue file, or :class:`CatalogueFileError` for the whole file."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise CatalogueFileError("too_big", limit="1 MB")
    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)  # reads the first characters: may refuse them
        root = loader.get_single_node()
        if root is None:
            raise CatalogueFileError("empty")
        _check_nodes(root)
        data = loader.construct_document(root)
    except RecursionError:
        raise CatalogueFileError("too_deep") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "?"
        raise CatalogueFileError(
            "syntax", line=mark.line + 1 if mark else None, problem=problem
        ) from None
    except (yaml.YAMLError, ValueError) as exc:
        # A reader error (a control character), or a value YAML cannot build (2026-13-45).
        raise CatalogueFileError("syntax", problem=(str(exc) or "?").splitlines()[0]) from None
    finally:
        if loader is not None:
            loader.dispose()
    tasks = _tasks_node(root)
    if len(tasks.value) > MAX_TASKS:
        raise CatalogueFileError(
            "too_many_tasks", line=_line(tasks.value[MAX_TASKS]), limit=MAX_TASKS
        )
    try:
        specs = CatalogueSpec.model_validate(data).tasks
    except ValidationError as exc:
        raise min((_explain(root, error) for error in exc.errors()), key=_where) from None
    _no_twins(tasks, specs)
    return specs


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _where(error: CatalogueFileError) -> int:
    return error.line or 0


def _check_nodes(root: Node) -> None:
    """No anchors or aliases (one node reached twice), no key twice in a mapping."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            raise CatalogueFileError("alias", line=_line(node))
        seen.add(id(node))
        if isinstance(node, ScalarNode) and _CONTROL.search(node.value):
            raise CatalogueFileError("control", line=_line(node))
        if isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.value in keys:
                        raise CatalogueFileError("twice", line=_line(key), field=key.value)
                    keys.add(key.value)
                todo.extend((key, value))
        elif isinstance(node, SequenceNode):
            todo.extend(node.value)


def _tasks_node(root: Node) -> SequenceNode:
    if not isinstance(root, MappingNode):
        raise CatalogueFileError("top", line=_line(root))
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "tasks":
            if not isinstance(value, SequenceNode):
                raise CatalogueFileError("list", line=_line(key), field="tasks")
            return value
    raise CatalogueFileError("top", line=_line(root))


def _locate(root: Node, loc: list[int | str]) -> int:
    """The line of the deepest node ``loc`` reaches (a key's own line, for a mapping)."""
    node, line = root, _line(root)
    for part in loc:
        if isinstance(node, MappingNode):
            found = next(
                (
                    (key, value)
                    for key, value in node.value
                    if isinstance(key, ScalarNode) and key.value == str(part)
                ),
                None,
            )
            if found is None:
                break
            key, node = found
            line = _line(key)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = _line(node)
        else:
            break
    return line


def _explain(root: Node, error: ErrorDetails) -> CatalogueFileError:
    """A pydantic error as one reason, found back to its line through the YAML nodes."""
    loc = [
        part for part in error["loc"] if not (isinstance(part, str) and part.startswith(KIND_TAG))
    ]
    names = [part for part in loc if isinstance(part, str)]
    field = names[-1] if names else "tasks"
    reason, values = _reason(error, field)
    return CatalogueFileError(reason, line=_locate(root, loc), field=field, **values)


def _reason(error: ErrorDetails, field: str) -> tuple[str, dict[str, object]]:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    simple = {
        "missing": "missing",
        "extra_forbidden": "unknown",
        "string_type": "text",
        "int_type": "whole_number",
        "float_type": "number",
        "bool_type": "yes_no",
        "list_type": "list",
        "model_type": "mapping",
        "dict_type": "mapping",
        "model_attributes_type": "mapping",
        "string_too_short": "blank",
        "strain": "strain",
        "url": "url",
        "attachment": "attachment",
        "file_id": "file_id",
    }
    if kind in simple:
        return simple[kind], {}
    if kind == "string_too_long":
        return "too_long", {"limit": ctx.get("max_length", "?")}
    if kind == "too_long":
        return "too_many", {"limit": ctx.get("max_length", "?")}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = RANGES.get(field, ("?", "?"))
        return "range", {"low": low, "high": high}
    return "invalid", {}


def _no_twins(tasks: SequenceNode, specs: list[TemplateSpec]) -> None:
    """Two tasks of the file with the same title (any case) are a mistake."""
    first_line: dict[str, int] = {}
    for node, spec in zip(tasks.value, specs, strict=True):
        key = spec.title.casefold()
        if key in first_line:
            raise CatalogueFileError(
                "same_title", line=_locate(node, ["title"]), field="title", other=first_line[key]
            )
        first_line[key] = _line(node)
