"""Prompt template routes."""

from aiohttp import web

from application.templates.create_template import CreateTemplate
from application.templates.delete_template import DeleteTemplate, TemplateDeleted
from application.templates.render_template import RenderTemplate
from application.templates.update_template import TemplateChanges, UpdateTemplate
from domain.access import Role
from domain.prompts import RenderedPrompts
from domain.template import Template
from entrypoints.http.characters import PROJECT_FILTER
from entrypoints.http.operation import SKIP_LIMIT, Operation, PageOf
from entrypoints.http.request_parsing import query_int, query_text, read_command
from entrypoints.http.responses import respond, use_cases


async def list_templates(request: web.Request) -> web.Response:
    skip = query_int(request, "skip", default=0, minimum=0, maximum=1_000_000_000)
    limit = query_int(request, "limit", default=100, minimum=1, maximum=500)
    project_id = query_text(request, "project_id")
    return respond(request, await use_cases(request).list_templates()(project_id=project_id, skip=skip, limit=limit))


async def create_template(request: web.Request) -> web.Response:
    command = await read_command(request, CreateTemplate)
    return respond(request, await use_cases(request).create_template()(command), status=201)


async def get_template(request: web.Request) -> web.Response:
    return respond(request, await use_cases(request).get_template()(request.match_info["template_id"]))


async def update_template(request: web.Request) -> web.Response:
    changes = await read_command(request, TemplateChanges)
    command = UpdateTemplate(template_id=request.match_info["template_id"], changes=changes)
    return respond(request, await use_cases(request).update_template()(command))


async def delete_template(request: web.Request) -> web.Response:
    command = DeleteTemplate(template_id=request.match_info["template_id"])
    return respond(request, await use_cases(request).delete_template()(command))


async def render_template(request: web.Request) -> web.Response:
    command = await read_command(request, RenderTemplate, template_id=request.match_info["template_id"])
    return respond(request, await use_cases(request).render_template()(command))


BASE = "/api/v1/templates"
OPERATIONS = [
    Operation("GET", BASE, list_templates, "List templates (all, or one project's)", "templates",
              response=PageOf(Template), query=(*SKIP_LIMIT, PROJECT_FILTER), role=Role.VIEWER),
    Operation("POST", BASE, create_template, "Create a prompt template", "templates", status=201,
              body=CreateTemplate, response=Template, creates="template_id", role=Role.EDITOR),
    Operation("GET", BASE + "/{template_id}", get_template, "Get a template", "templates", response=Template,
              role=Role.VIEWER),
    Operation("PUT", BASE + "/{template_id}", update_template, "Update a template", "templates",
              body=TemplateChanges, response=Template, errors=(409,), role=Role.EDITOR),
    Operation("DELETE", BASE + "/{template_id}", delete_template, "Delete a template", "templates",
              response=TemplateDeleted, role=Role.EDITOR),
    Operation("POST", BASE + "/{template_id}/render", render_template,
              "Render the template's prompts for a clip, a character and explicit variables", "templates",
              body=RenderTemplate, body_exclude=("template_id",), response=RenderedPrompts, role=Role.EDITOR),
]
