"""Public pages of the Digital Gateway under ``/help/{lang}/``: no account, no JavaScript.

Every page is server-rendered with forms posted, light (its own small stylesheet, no map
library) and readable at 320 px. Text a person typed is shown inside ``<bdi dir="auto">`` so a
phone number or a Latin name stays readable inside Arabic. The language is in the path; any
language with a compiled catalog under ``locale/`` (Tigrinya, ``ti``, beside fr and ar) is
served without code. The form carries a honeypot field hidden from people: a body that fills
it is thanked and dropped.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError as PydanticValidationError
from starlette.concurrency import run_in_threadpool

from itinera.domain.errors import NotFoundError, ValidationError
from itinera.domain.gateway import SubmissionKind
from itinera.domain.gateway_codes import display_code
from itinera.domain.gateway_emergency import EMERGENCY_NUMBERS, AcuteRisk
from itinera.schemas.gateway import SubmissionIn
from itinera.services.catalogue import routes as route_service
from itinera.services.gateway import articles, intake, nearby
from itinera.services.gateway.article_cache import PublishedArticles
from itinera.services.places import lookup as place_lookup
from itinera.services.places.lookup import UnknownPlaceError
from itinera.web.deps import CsrfDep, DatabaseDep, SettingsDep
from itinera.web.i18n import choose_language
from itinera.web.login_limit import TooManyLoginsError
from itinera.web.routers.gateway.api import GatewayDep
from itinera.web.routers.gateway.throttle import (
    LOOKUP_FAILURES,
    SOLVED_SUBMISSIONS,
    SUBMISSIONS,
    address_of,
    issue_challenge,
    limiter,
    proved,
)
from itinera.web.templating import render

__all__ = ["HELP_LANGUAGES", "router"]

router = APIRouter(include_in_schema=False)

HELP_LANGUAGES = {"en": "English", "fr": "Français", "ar": "العربية", "ti": "ትግርኛ"}
HONEYPOT = "website"
ABOUT_PATTERN = r"^(article:[a-z0-9-]{1,100}|service:[0-9]{1,12})$"
"""'Report a problem' on an article or a service point names the entry it is about."""
Language = Annotated[str, Path(pattern="^(en|fr|ar|ti)$")]


def _page(request: Request, template: str, lang: str, status: int = 200, **context: Any) -> Any:
    return render(
        request,
        template,
        lang,
        status_code=status,
        help_languages=HELP_LANGUAGES,
        kinds=list(SubmissionKind),
        emergency_countries=sorted(EMERGENCY_NUMBERS),
        # the contact form's proof-of-work challenge, solved by a script where one runs
        pow_challenge=issue_challenge(request) if template == "gateway/contact.html" else None,
        **context,
    )


@router.get("/help")
def help_root(request: Request) -> RedirectResponse:
    chosen = request.cookies.get("itinera_help_lang") or choose_language(request)
    lang = chosen if chosen in HELP_LANGUAGES else "en"
    return RedirectResponse(f"/help/{lang}", status_code=303)


@router.get("/help/{lang}", response_class=HTMLResponse)
def help_home(request: Request, lang: Language) -> Response:
    response: Response = _page(request, "gateway/home.html", lang)
    response.set_cookie("itinera_help_lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/help/{lang}/contact", response_class=HTMLResponse)
def contact_form(
    request: Request,
    lang: Language,
    kind: Annotated[SubmissionKind, Query()] = SubmissionKind.QUESTION,
    about: Annotated[str | None, Query(pattern=ABOUT_PATTERN)] = None,
) -> Response:
    form = {"kind": kind.value, "about": about or ""}
    return _page(request, "gateway/contact.html", lang, form=form)


@router.post("/help/{lang}/contact", response_class=HTMLResponse, dependencies=[CsrfDep])
async def contact_send(request: Request, lang: Language, gw: GatewayDep) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    if form.get(HONEYPOT):
        return _page(request, "gateway/received.html", lang, code=None)
    window = SOLVED_SUBMISSIONS if proved(request, form) else SUBMISSIONS
    flood, address = limiter(request, window), address_of(request)
    try:
        flood.check(address)
    except TooManyLoginsError:
        return _page(request, "gateway/contact.html", lang, 429, form=form, problem="busy")
    try:
        body = SubmissionIn(
            kind=form.get("kind", "question"),  # type: ignore[arg-type]
            text=form.get("text", "").strip(),
            language=lang,
            contact=form.get("contact") or None,
            category=form.get("category") or None,  # type: ignore[arg-type]
            tracing_consent=form.get("tracing_consent") == "yes",
        )
        acute = AcuteRisk(form["acute"]) if form.get("acute") else None
        about = form.get("about") or None
        if about is not None and not re.fullmatch(ABOUT_PATTERN, about):
            raise ValueError("not an entry")
        flood.failed(address)
        receipt = await run_in_threadpool(
            functools.partial(intake.submit, gw, body.to_domain(), acute=acute, about=about)
        )
    except (PydanticValidationError, ValidationError, ValueError):
        return _page(request, "gateway/contact.html", lang, 422, form=form, problem="invalid")
    return _page(
        request,
        "gateway/received.html",
        lang,
        201,
        code=display_code(receipt.tracking_code),
        sensitive=body.to_domain().restricted,
        acute=acute,
        emergency=EMERGENCY_NUMBERS.get(form.get("country", ""), ()),
    )


@router.get("/help/{lang}/services", response_class=HTMLResponse)
def services_near_me(
    request: Request,
    lang: Language,
    db: DatabaseDep,
    settings: SettingsDep,
    place: Annotated[str | None, Query(max_length=200)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    service_type: Annotated[str | None, Query(alias="type", max_length=64)] = None,
) -> Response:
    types = nearby.service_types(db)
    context: dict[str, Any] = {
        "types": types,
        "place": place or "",
        "chosen_type": service_type or "",
        "found": None,
        "problem": None,
    }
    if place or (lat is not None and lon is not None):
        try:
            context["found"] = nearby.services_near(
                db,
                place=place,
                lat=lat,
                lon=lon,
                service_type=service_type,
                stale_after_days=settings.services_stale_after_days,
            )
        except UnknownPlaceError as error:  # "did you mean": links that work without JS
            context["problem"] = "unknown_place"
            context["suggestions"] = [p.name_in(lang) for p in error.suggestions]
    # the type-ahead without JS: every known place in the person's language (a few KB)
    context["place_names"] = sorted({p.name_in(lang) for p in place_lookup.gazetteer(db)})
    return _page(request, "gateway/services.html", lang, **context)


@router.get("/help/{lang}/articles", response_class=HTMLResponse)
def article_list(
    request: Request,
    lang: Language,
    db: DatabaseDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    route: Annotated[str | None, Query(max_length=64)] = None,
    country: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
) -> Response:
    routes = route_service.list_routes(db)
    if q:
        found = articles.search_articles(db, lang, q, route_id=route or None)
    elif route:
        try:
            found = articles.along_route(db, lang, route, country)
        except NotFoundError:
            found = []
    else:
        found = articles.published_articles(db, lang)
    return _page(
        request,
        "gateway/articles.html",
        lang,
        found=found,
        q=q or "",
        routes=routes,
        route=route or "",
        country=country or "",
    )


@router.get("/help/{lang}/articles/{slug}", response_class=HTMLResponse)
async def article_page(
    request: Request,
    lang: Language,
    slug: Annotated[str, Path(max_length=100)],
) -> Response:
    # async, with rendered articles kept 30 s: the most read page stays off the thread pool
    kept: PublishedArticles | None = getattr(request.app.state, "gateway_articles", None)
    if kept is None:
        kept = request.app.state.gateway_articles = PublishedArticles(request.app.state.database)
    plain = not request.query_params  # ?lang= would set a cookie: not served from the cache
    body = kept.page(slug, lang) if plain else None
    if body is not None:
        return HTMLResponse(body)
    found = kept.cached(slug, lang)
    if found is None:
        try:
            found = await run_in_threadpool(kept.read, slug, lang)
        except NotFoundError:
            return _page(
                request,
                "gateway/articles.html",
                lang,
                404,
                found=[],
                q="",
                routes=[],
                route="",
                country="",
                missing=True,
            )
    response: Response = _page(request, "gateway/article.html", lang, item=found)
    if plain:
        kept.keep_page(slug, lang, bytes(response.body))
    return response


@router.get("/help/{lang}/track", response_class=HTMLResponse)
def track(
    request: Request,
    lang: Language,
    gw: GatewayDep,
    code: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    if not code:
        return _page(request, "gateway/track.html", lang, code="", found=None)
    guesses, address = limiter(request, LOOKUP_FAILURES), address_of(request)
    try:
        guesses.check(address)
        found = intake.track(gw, code)
    except TooManyLoginsError:
        return _page(request, "gateway/track.html", lang, 429, code=code, problem="busy")
    except NotFoundError:
        guesses.failed(address)
        return _page(request, "gateway/track.html", lang, 404, code=code, problem="unknown")
    return _page(
        request,
        "gateway/track.html",
        lang,
        code=display_code(found.tracking_code),
        found=found,
    )
