"""Answers from templates: one text per name and language, with ``$variables`` filled in.

``$tracking_code`` is always available; staff give the others (``$place``, ``$date`` …). A
variable left unfilled stays visible as ``$name`` so the answer is checked before it goes. A
template marked *approved* is the only kind a channel accepts past its reply window (WhatsApp).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Template

from itinera.domain.access import Action, Actor, require
from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gateway import MAX_TEXT_LENGTH, Submission
from itinera.domain.gateway_codes import display_code, read_tracking_code
from itinera.services.gateway import queue as queue_service
from itinera.services.gateway.context import Gateway
from itinera.storage.gateway.template_repository import TemplateRepository

__all__ = ["answer_from_template", "list_templates", "save_template"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def save_template(
    gw: Gateway, actor: Actor, name: str, language: str, body: str, *, approved: bool = False
) -> None:
    require(actor, Action.ANSWER_GATEWAY)
    if not _NAME.fullmatch(name):
        raise ValidationError.single("name", "lower-case letters, digits, - and _")
    if not body.strip() or len(body) > MAX_TEXT_LENGTH:
        raise ValidationError.single("body", f"between 1 and {MAX_TEXT_LENGTH} characters")
    with gw.db.transaction(write=True) as session:
        TemplateRepository(session).save(name, language[:16], body, approved, gw.now())


def list_templates(gw: Gateway, actor: Actor) -> list[tuple[str, str, bool]]:
    require(actor, Action.VIEW_GATEWAY_QUEUE)
    with gw.db.transaction() as session:
        return TemplateRepository(session).names()


def answer_from_template(
    gw: Gateway,
    actor: Actor,
    code: str,
    name: str,
    language: str,
    variables: Mapping[str, str] | None = None,
) -> Submission:
    """Answer with the template ``name`` in ``language``, its variables filled in."""
    with gw.db.transaction() as session:
        found = TemplateRepository(session).get(name, language)
    if found is None:
        raise NotFoundError(f"no template {name!r} in {language!r}", hint="list the templates")
    body, approved = found
    canonical = read_tracking_code(code) or code
    values = {**(variables or {}), "tracking_code": display_code(canonical)}
    text = Template(body).safe_substitute(values)
    return queue_service.answer(gw, actor, code, text, language, template=approved)
