"""The dependency-injector container: adapters chosen from Settings, use cases as factories."""

import uuid
from datetime import timedelta

from dependency_injector import containers, providers

from adapters.comfyui.backend import ComfyUIBackend
from adapters.comfyui.presets.catalog import BuiltinPresets
from adapters.export.exporter import OtioTimelineExporter
from adapters.media.filesystem_store import FilesystemMediaStore
from adapters.media.media_probe import MutagenPillowProbe
from adapters.media.readiness import UploadDirProbe
from adapters.mongo.job_store import MongoJobStore
from adapters.mongo.preview_store import MongoPreviewStore
from adapters.mongo.queue_control import MongoDispatchLease, MongoQueueSettings
from adapters.random_seeds import RandomSeeds
from adapters.mongo.client import database_url
from adapters.mongo.converter import make_document_converter
from adapters.mongo.id_generator import ObjectIdGenerator
from adapters.mongo.project_board_reader import MongoProjectBoardReader
from adapters.mongo.readiness import DatabaseProbe
from adapters.mongo.unit_of_work import MongoUnitOfWork
from adapters.system_clock import SystemClock
from application.characters.create_character import CreateCharacterHandler
from application.characters.delete_character import DeleteCharacterHandler
from application.characters.queries import GetCharacter, ListCharacters, ListProjectCharacters
from application.characters.update_character import UpdateCharacterHandler
from application.clips.create_clip import CreateClipHandler
from application.comfyui.check_servers import CheckServers
from application.comfyui.delete_server import DeleteServerHandler
from application.comfyui.queries import GetServer
from application.comfyui.register_server import RegisterServerHandler
from application.comfyui.server_models import GetServerModels
from application.comfyui.update_server import UpdateServerHandler
from application.generation.list_models import ListModels
from application.generation.register_workflow import RegisterWorkflowHandler
from application.clips.create_clip_alternate import CreateClipAlternateHandler
from application.clips.delete_clip import DeleteClipHandler
from application.clips.move_clip import MoveClipHandler
from application.clips.queries import GetClip, ListSceneClips
from application.clips.select_take import SelectTakeHandler
from application.clips.update_clip import UpdateClipHandler
from application.health.check_readiness import CheckReadiness
from application.queue.control_job import CancelJobHandler, ChangePriorityHandler, RetryJobHandler
from application.queue.dispatcher import Dispatcher
from application.queue.enqueue_batch import EnqueueBatchHandler
from application.queue.job_composer import JobComposer
from application.queue.enqueue_generation import EnqueueGenerationHandler
from application.queue.previews import GetJobPreview
from application.queue.queries import (
    GetBatchStatus, GetJob, GetQueueStatus, GetServerLoads, ListActiveJobs, ListJobs,
)
from application.queue.queue_admin import ClearFinished, SetPaused
from application.queue.recovery import RecoverJobs
from application.queue.run_job import RunJob
from application.export.export_timeline import ExportTimelineHandler
from application.media.queries import LocateMediaFile
from application.media.upload_image import UploadImageHandler
from application.media.upload_music import UploadMusicHandler
from application.projects.create_project import CreateProjectHandler
from application.projects.delete_project import DeleteProjectHandler
from application.projects.duplicate_project import DuplicateProjectHandler
from application.projects.queries import GetProject, GetProjectBoard, ListProjects
from application.projects.update_project import UpdateProjectHandler
from application.scenes.create_scene import CreateSceneHandler
from application.scenes.create_scene_alternate import CreateSceneAlternateHandler
from application.scenes.delete_scene import DeleteSceneHandler
from application.scenes.queries import GetScene, ListProjectScenes
from application.scenes.update_scene import UpdateSceneHandler
from application.templates.create_template import CreateTemplateHandler
from application.templates.delete_template import DeleteTemplateHandler
from application.templates.queries import GetTemplate, ListTemplates
from application.templates.render_template import RenderTemplateHandler
from application.templates.update_template import UpdateTemplateHandler
from entrypoints.settings import Settings


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    # Adapters. `database` is set by the entrypoint once connected (see http/app.py, cli).
    database_url = providers.Resource(
        database_url, mongo_url=settings.provided.mongo_url, data_dir=settings.provided.data_dir
    )
    database = providers.Dependency()
    document_converter = providers.Singleton(make_document_converter)
    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(ObjectIdGenerator)
    uow = providers.Factory(
        MongoUnitOfWork, database=database.provided.handle, converter=document_converter,
        transactions=database.provided.transactions,
    )
    board_reader = providers.Factory(
        MongoProjectBoardReader, database=database.provided.handle, converter=document_converter
    )
    instance_id = providers.Singleton(lambda: uuid.uuid4().hex)
    generation_backend = providers.Singleton(ComfyUIBackend)
    jobs = providers.Singleton(MongoJobStore, database=database.provided.handle, converter=document_converter)
    queue_settings = providers.Singleton(MongoQueueSettings, database=database.provided.handle)
    dispatch_lease = providers.Singleton(MongoDispatchLease, database=database.provided.handle)
    preview_store = providers.Singleton(MongoPreviewStore, database=database.provided.handle)
    seeds = providers.Singleton(RandomSeeds)
    presets = providers.Singleton(BuiltinPresets)
    media_store = providers.Singleton(FilesystemMediaStore, root=settings.provided.upload_dir)
    media_probe = providers.Singleton(MutagenPillowProbe)
    timeline_exporter = providers.Singleton(OtioTimelineExporter, media_url=media_store.provided.file_url)
    readiness_probes = providers.List(
        providers.Factory(DatabaseProbe, database=database),
        providers.Factory(UploadDirProbe, directory=settings.provided.upload_dir),
    )

    # Use cases
    check_readiness = providers.Factory(CheckReadiness, probes=readiness_probes)
    list_projects = providers.Factory(ListProjects, uow=uow)
    get_project = providers.Factory(GetProject, uow=uow)
    get_project_board = providers.Factory(GetProjectBoard, reader=board_reader)
    create_project = providers.Factory(CreateProjectHandler, uow=uow, clock=clock, ids=ids)
    update_project = providers.Factory(UpdateProjectHandler, uow=uow, clock=clock)
    delete_project = providers.Factory(DeleteProjectHandler, uow=uow, media=media_store, jobs=jobs,
                                       previews=preview_store)
    duplicate_project = providers.Factory(DuplicateProjectHandler, uow=uow, clock=clock, ids=ids, media=media_store)

    get_scene = providers.Factory(GetScene, uow=uow)
    list_project_scenes = providers.Factory(ListProjectScenes, uow=uow)
    create_scene = providers.Factory(CreateSceneHandler, uow=uow, clock=clock, ids=ids)
    update_scene = providers.Factory(UpdateSceneHandler, uow=uow, clock=clock)
    delete_scene = providers.Factory(DeleteSceneHandler, uow=uow, clock=clock)
    create_scene_alternate = providers.Factory(CreateSceneAlternateHandler, uow=uow, clock=clock, ids=ids)

    get_clip = providers.Factory(GetClip, uow=uow)
    list_scene_clips = providers.Factory(ListSceneClips, uow=uow)
    create_clip = providers.Factory(CreateClipHandler, uow=uow, clock=clock, ids=ids)
    update_clip = providers.Factory(UpdateClipHandler, uow=uow, clock=clock)
    delete_clip = providers.Factory(DeleteClipHandler, uow=uow, clock=clock)
    create_clip_alternate = providers.Factory(CreateClipAlternateHandler, uow=uow, clock=clock, ids=ids)
    move_clip = providers.Factory(MoveClipHandler, uow=uow, clock=clock)
    select_take = providers.Factory(SelectTakeHandler, uow=uow, clock=clock)

    get_character = providers.Factory(GetCharacter, uow=uow)
    list_characters = providers.Factory(ListCharacters, uow=uow)
    list_project_characters = providers.Factory(ListProjectCharacters, uow=uow)
    create_character = providers.Factory(CreateCharacterHandler, uow=uow, clock=clock, ids=ids)
    update_character = providers.Factory(UpdateCharacterHandler, uow=uow, clock=clock)
    delete_character = providers.Factory(DeleteCharacterHandler, uow=uow, clock=clock)

    get_template = providers.Factory(GetTemplate, uow=uow)
    list_templates = providers.Factory(ListTemplates, uow=uow)
    create_template = providers.Factory(CreateTemplateHandler, uow=uow, clock=clock, ids=ids)
    update_template = providers.Factory(UpdateTemplateHandler, uow=uow, clock=clock)
    delete_template = providers.Factory(DeleteTemplateHandler, uow=uow)
    render_template = providers.Factory(RenderTemplateHandler, uow=uow)

    run_job = providers.Factory(RunJob, jobs=jobs, backend=generation_backend, media=media_store, uow=uow, clock=clock,
                                ids=ids, previews=preview_store, owner=instance_id, timeout_s=settings.provided.job_timeout_s)
    recover_jobs = providers.Factory(
        RecoverJobs, jobs=jobs, backend=generation_backend, new_runner=run_job.provider, clock=clock,
        owner=instance_id, job_lease=providers.Factory(timedelta, seconds=settings.provided.job_lease_s),
    )
    dispatcher = providers.Singleton(
        Dispatcher, jobs=jobs, lease=dispatch_lease, settings=queue_settings, recover=recover_jobs,
        new_uow=uow.provider, new_runner=run_job.provider, clock=clock, owner=instance_id,
        job_lease=providers.Factory(timedelta, seconds=settings.provided.job_lease_s),
        tick_s=settings.provided.dispatch_tick_s, affinity=settings.provided.scheduler_affinity,
        prefetch=settings.provided.scheduler_prefetch,
    )
    queue_signal = dispatcher  # the use cases wake this instance's dispatcher; others re-read the queue each second
    job_composer = providers.Factory(JobComposer, presets=presets, clock=clock, ids=ids, seeds=seeds)

    register_server = providers.Factory(RegisterServerHandler, uow=uow, backend=generation_backend, clock=clock, ids=ids,
                                      signal=queue_signal)
    check_servers = providers.Factory(CheckServers, uow=uow, backend=generation_backend, clock=clock)
    get_server = providers.Factory(GetServer, uow=uow)
    update_server = providers.Factory(UpdateServerHandler, uow=uow, backend=generation_backend, clock=clock,
                                      signal=queue_signal)
    delete_server = providers.Factory(DeleteServerHandler, uow=uow)
    server_models = providers.Factory(GetServerModels, uow=uow, backend=generation_backend)

    list_models = providers.Factory(ListModels, uow=uow, presets=presets)
    register_workflow = providers.Factory(
        RegisterWorkflowHandler, uow=uow, backend=generation_backend, clock=clock, ids=ids
    )

    enqueue_generation = providers.Factory(EnqueueGenerationHandler, uow=uow, jobs=jobs, composer=job_composer,
                                           signal=queue_signal)
    enqueue_batch = providers.Factory(EnqueueBatchHandler, uow=uow, jobs=jobs, composer=job_composer, ids=ids,
                                      signal=queue_signal)
    batch_status = providers.Factory(GetBatchStatus, jobs=jobs)
    get_job = providers.Factory(GetJob, jobs=jobs)
    list_jobs = providers.Factory(ListJobs, jobs=jobs)
    active_jobs = providers.Factory(ListActiveJobs, jobs=jobs)
    get_job_preview = providers.Factory(GetJobPreview, previews=preview_store, jobs=jobs)
    queue_status = providers.Factory(GetQueueStatus, jobs=jobs, settings=queue_settings, uow=uow)
    server_loads = providers.Factory(GetServerLoads, jobs=jobs, settings=queue_settings, uow=uow)
    cancel_job = providers.Factory(CancelJobHandler, jobs=jobs, backend=generation_backend, uow=uow, clock=clock)
    retry_job = providers.Factory(RetryJobHandler, jobs=jobs, clock=clock, signal=queue_signal)
    change_priority = providers.Factory(ChangePriorityHandler, jobs=jobs, clock=clock)
    clear_finished = providers.Factory(ClearFinished, jobs=jobs, previews=preview_store)
    set_paused = providers.Factory(SetPaused, settings=queue_settings, uow=uow, signal=queue_signal)

    upload_music = providers.Factory(UploadMusicHandler, uow=uow, media=media_store, probe=media_probe, clock=clock,
                                     max_mb=settings.provided.max_music_size_mb)
    upload_image = providers.Factory(UploadImageHandler, uow=uow, media=media_store, probe=media_probe, clock=clock,
                                     max_mb=settings.provided.max_image_size_mb,
                                     max_pixels=settings.provided.max_image_pixels)
    locate_media_file = providers.Factory(LocateMediaFile, media=media_store)
    export_timeline = providers.Factory(ExportTimelineHandler, reader=board_reader, exporter=timeline_exporter)
