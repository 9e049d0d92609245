"""The dependency-injector container: adapters chosen from Settings, use cases as factories."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from dependency_injector import containers, providers

from adapters.comfyui.backend import ComfyUIBackend
from adapters.comfyui.presets.catalog import BuiltinPresets
from adapters.openai_video.backend import OpenAIVideoBackend
from adapters.observability.observed_job_store import ObservedJobStore
from adapters.observability.service_metrics import ServiceMetrics
from adapters.outbound.resolving_guard import ResolvingGuard
from adapters.secrets.fernet_box import FernetSecretBox
from adapters.export.exporter import OtioTimelineExporter
from adapters.media.filesystem_store import FilesystemMediaStore
from adapters.media.media_probe import MutagenPillowProbe
from adapters.media.readiness import UploadDirProbe
from adapters.mongo.job_store import MongoJobStore
from adapters.mongo.preview_store import MongoPreviewStore
from adapters.mongo.server_observations import MongoServerObservations
from adapters.mongo.speed_records import MongoSpeedRecords  # issue 14: speed model
from adapters.mongo.queue_control import MongoDispatchLease, MongoQueueSettings
from adapters.random_seeds import RandomSeeds
from adapters.mongo.client import open_database
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
from application.comfyui.server_checks import ServerChecker
from application.comfyui.server_models import GetServerModels
from application.comfyui.update_server import UpdateServerHandler
from application.generation.list_models import ListModels
from application.generation.delete_workflow import DeleteWorkflowHandler
from application.generation.queries import GetWorkflow, ListWorkflows
from application.generation.register_workflow import RegisterWorkflowHandler
from application.generation.update_workflow import UpdateWorkflowHandler
from application.clips.create_clip_alternate import CreateClipAlternateHandler
from application.clips.delete_clip import DeleteClipHandler
from application.clips.delete_take import DeleteTakeHandler
from application.clips.move_clip import MoveClipHandler
from application.clips.queries import GetClip, ListSceneClips
from application.clips.select_take import SelectTakeHandler
from application.clips.update_clip import UpdateClipHandler
from application.health.check_readiness import CheckReadiness
from application.health.dependency_checks import ProviderChecks, ServerChecks
from application.queue.backends import BackendsByTarget
from application.queue.cancel_jobs import CancelJobs
from application.queue.control_job import CancelJobHandler, ChangePriorityHandler, RetryJobHandler
from application.queue.dispatcher import Dispatcher
from application.queue.speed import SpeedTracker  # issue 14: speed model
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
from application.media.delete_image import DeleteImageHandler
from application.media.queries import ListProjectImages, LocateMediaFile
from application.media.remove_music import RemoveMusicHandler
from application.media.upload_image import UploadImageHandler
from application.media.upload_music import UploadMusicHandler
from application.projects.create_project import CreateProjectHandler
from application.projects.delete_project import DeleteProjectHandler
from application.projects.duplicate_project import DuplicateProjectHandler
from application.projects.queries import GetBoardVersion, GetProject, GetProjectBoard, ListProjects
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
from application.video_providers.configure_default import ConfigureDefaultProvider
from application.video_providers.connections import ProviderConnections
from application.video_providers.delete_provider import DeleteProviderHandler
from application.video_providers.generate_video import GenerateVideoHandler
from application.video_providers.provider_job import GetProviderJob
from application.video_providers.provider_status import GetProvidersStatus
from application.video_providers.queries import GetProvider, ListProviders
from application.video_providers.register_provider import RegisterProviderHandler
from application.video_providers.update_provider import UpdateProviderHandler
from adapters.bundles.zip_archive import ZipBundleArchive  # issue 15: bundles
from application.bundles.export_bundle import ExportBundleHandler  # issue 15: bundles
from application.bundles.import_bundle import ImportBundleHandler  # issue 15: bundles
# issue 14: webhooks
from adapters.mongo.job_endings import MongoJobEndings
from adapters.mongo.webhook_outbox import MongoWebhookOutbox
from adapters.mongo.webhook_store import MongoWebhookStore
from adapters.webhooks.http_sender import HttpWebhookSender
from application.webhooks.announce_endings import AnnounceEndings
from application.webhooks.create_webhook import CreateWebhookHandler
from application.webhooks.delete_webhook import DeleteWebhookHandler
from application.webhooks.deliver_webhooks import DeliverWebhooks
from application.webhooks.job_webhooks import JobWebhookPolicy
from application.queue.supersede import SupersedeEarlier
from application.queue.cancel_scope import CancelScopeHandler
from application.queue.owner_cap import OwnerCap
from adapters.mongo.owner_backlog import MongoOwnerBacklog
from application.webhooks.queries import GetWebhook, ListDeliveries, ListWebhooks
from application.webhooks.update_webhook import UpdateWebhookHandler
from domain.webhook_delivery import RetryPolicy
from domain.speed_model import SpeedModel  # issue 14: speed model
from domain.video_provider import TARGET_PREFIX
# issue 13: music analysis, lyrics and beat snapping
from adapters.audio.madmom_analyser import MadmomMusicAnalyser
from adapters.mongo.music_analysis_store import MongoMusicAnalysisStore
from application.lyrics.import_lyrics import ImportLyricsHandler
from application.music.analyse_music import AnalyseMusicHandler
from application.music.analysis_runner import MusicAnalysisRunner
from application.music.queries import GetMusicAnalysis
from application.music.request_analysis import RequestMusicAnalysis
from application.music.snap_scene import SnapSceneHandler
# issue 13: the storyboard sheet and the animatic
from adapters.mongo.render_job_store import MongoRenderJobStore
from adapters.render.animatic_renderer import PyAVAnimaticRenderer
from adapters.render.storyboard_pdf import ReportlabStoryboardRenderer
from application.render.animatic_queries import GetAnimaticJob, LocateAnimatic
from application.render.render_storyboard import RenderStoryboardHandler, RenderStoryboardPageHandler
from application.render.render_tasks import RenderTasks
from application.render.run_animatic import RunAnimatic
from application.render.start_animatic import StartAnimaticHandler
from entrypoints.http.dispatcher_probe import DispatcherProbe, DispatcherTask
from entrypoints.settings import Settings


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    # Adapters. `database` is opened and closed by `database_lifetime` below (tests override it with theirs).
    database = providers.Resource(
        open_database, mongo_url=settings.provided.mongo_url, data_dir=settings.provided.data_dir,
        db_name=settings.provided.db_name,
    )
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
    secret_box = providers.Singleton(FernetSecretBox, secrets_key=settings.provided.secrets_key,
                                     data_dir=settings.provided.data_dir)
    provider_connections = providers.Factory(ProviderConnections, new_uow=uow.provider, secrets=secret_box)
    outbound = providers.Callable(lambda settings: settings.outbound_rule, settings)  # OUTBOUND_* (issue 12)
    outbound_guard = providers.Singleton(ResolvingGuard, rule=outbound)
    comfyui_backend = providers.Singleton(ComfyUIBackend, outbound=outbound)
    video_provider_backend = providers.Singleton(OpenAIVideoBackend, connect=provider_connections, outbound=outbound)
    # The backends by target kind: `provider:<id>` to the video providers', any other address to ComfyUI
    generation_backend = providers.Singleton(BackendsByTarget, default=comfyui_backend,
                                             by_prefix=providers.Dict({TARGET_PREFIX: video_provider_backend}))
    metrics = providers.Singleton(ServiceMetrics)  # this app's Prometheus registry (issue 12)
    jobs = providers.Singleton(ObservedJobStore, metrics=metrics, inner=providers.Singleton(
        MongoJobStore, database=database.provided.handle, converter=document_converter))
    queue_settings = providers.Singleton(MongoQueueSettings, database=database.provided.handle)
    dispatch_lease = providers.Singleton(MongoDispatchLease, database=database.provided.handle)
    preview_store = providers.Singleton(MongoPreviewStore, database=database.provided.handle)
    server_observations = providers.Singleton(MongoServerObservations, database=database.provided.handle,
                                              converter=document_converter)
    seeds = providers.Singleton(RandomSeeds)
    presets = providers.Singleton(BuiltinPresets)
    media_store = providers.Singleton(FilesystemMediaStore, root=settings.provided.upload_dir)
    media_probe = providers.Singleton(MutagenPillowProbe)
    timeline_exporter = providers.Singleton(OtioTimelineExporter, media_url=media_store.provided.file_url)
    dispatcher_task = providers.Singleton(DispatcherTask)
    readiness_probes = providers.List(
        providers.Factory(DatabaseProbe, database=database),
        providers.Factory(UploadDirProbe, directory=settings.provided.upload_dir),
        providers.Factory(DispatcherProbe, enabled=settings.provided.queue_workers, 
                          running=dispatcher_task,  # issue 12
                          stall_after_s=settings.provided.dispatch_stall_s),  # a stalled loop is not ready
    )

    # Use cases
    provider_checks = providers.Singleton(ProviderChecks, status=providers.Factory(
        GetProvidersStatus, uow=uow, api=video_provider_backend))
    check_readiness = providers.Factory(CheckReadiness, probes=readiness_probes, sources=providers.List(
        providers.Factory(ServerChecks, uow=uow), provider_checks))
    list_projects = providers.Factory(ListProjects, uow=uow)
    get_project = providers.Factory(GetProject, uow=uow)
    get_project_board = providers.Factory(GetProjectBoard, reader=board_reader)
    get_board_version = providers.Factory(GetBoardVersion, reader=board_reader)
    create_project = providers.Factory(CreateProjectHandler, uow=uow, clock=clock, ids=ids)
    update_project = providers.Factory(UpdateProjectHandler, uow=uow, clock=clock)
    cancel_jobs = providers.Factory(CancelJobs, jobs=jobs, backend=generation_backend, uow=uow, clock=clock)
    delete_project = providers.Factory(DeleteProjectHandler, uow=uow, media=media_store, jobs=jobs,
                                       previews=preview_store, cancel_jobs=cancel_jobs)
    duplicate_project = providers.Factory(DuplicateProjectHandler, uow=uow, clock=clock, ids=ids, media=media_store)

    get_scene = providers.Factory(GetScene, uow=uow)
    list_project_scenes = providers.Factory(ListProjectScenes, uow=uow)
    create_scene = providers.Factory(CreateSceneHandler, uow=uow, clock=clock, ids=ids)
    update_scene = providers.Factory(UpdateSceneHandler, uow=uow, clock=clock)
    delete_scene = providers.Factory(DeleteSceneHandler, uow=uow, clock=clock, media=media_store,
                                     cancel_jobs=cancel_jobs)
    create_scene_alternate = providers.Factory(CreateSceneAlternateHandler, uow=uow, clock=clock, ids=ids)

    get_clip = providers.Factory(GetClip, uow=uow)
    list_scene_clips = providers.Factory(ListSceneClips, uow=uow)
    create_clip = providers.Factory(CreateClipHandler, uow=uow, clock=clock, ids=ids)
    update_clip = providers.Factory(UpdateClipHandler, uow=uow, clock=clock)
    delete_clip = providers.Factory(DeleteClipHandler, uow=uow, clock=clock, media=media_store,
                                    cancel_jobs=cancel_jobs)
    create_clip_alternate = providers.Factory(CreateClipAlternateHandler, uow=uow, clock=clock, ids=ids)
    move_clip = providers.Factory(MoveClipHandler, uow=uow, clock=clock)
    select_take = providers.Factory(SelectTakeHandler, uow=uow, clock=clock)
    delete_take = providers.Factory(DeleteTakeHandler, uow=uow, media=media_store, clock=clock)

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
    # --- issue 14: the speed model (learned job times per server and model, shared in the database) ---
    speed_records = providers.Singleton(MongoSpeedRecords, database=database.provided.handle)
    speed_tracker = providers.Singleton(
        SpeedTracker, records=speed_records, switch_s=settings.provided.scheduler_switch_s,
        model=providers.Factory(SpeedModel, prior_s=settings.provided.scheduler_speed_prior_s))
    dispatcher = providers.Singleton(
        Dispatcher, jobs=jobs, lease=dispatch_lease, settings=queue_settings, recover=recover_jobs,
        new_uow=uow.provider, new_runner=run_job.provider, clock=clock, owner=instance_id,
        job_lease=providers.Factory(timedelta, seconds=settings.provided.job_lease_s),
        tick_s=settings.provided.dispatch_tick_s, affinity=settings.provided.scheduler_affinity,
        prefetch=settings.provided.scheduler_prefetch,
        speed=providers.Callable(lambda on, tracker: tracker if on else None, settings.provided.scheduler_speed,
                                 speed_tracker),  # issue 14: speed model
    )
    queue_signal = dispatcher  # the use cases wake this instance's dispatcher; others re-read the queue each second
    job_composer = providers.Factory(JobComposer, presets=presets, clock=clock, ids=ids, seeds=seeds)

    server_checker = providers.Factory(ServerChecker, backend=generation_backend, clock=clock,
                                       observations=server_observations, outbound=outbound, guard=outbound_guard)
    register_server = providers.Factory(RegisterServerHandler, uow=uow, checker=server_checker, clock=clock, ids=ids,
                                        signal=queue_signal, presets=presets)  # presets: issue 14 model rules
    check_servers = providers.Factory(CheckServers, uow=uow, checker=server_checker)
    get_server = providers.Factory(GetServer, uow=uow)
    update_server = providers.Factory(UpdateServerHandler, uow=uow, checker=server_checker, clock=clock,
                                      signal=queue_signal, presets=presets)  # presets: issue 14 model rules
    delete_server = providers.Factory(DeleteServerHandler, uow=uow, observations=server_observations,
                                      speeds=speed_records, tracker=speed_tracker)  # forgets its learned speeds
    server_models = providers.Factory(GetServerModels, uow=uow, backend=generation_backend,
                                      observations=server_observations)

    list_models = providers.Factory(ListModels, uow=uow, presets=presets)
    register_workflow = providers.Factory(
        RegisterWorkflowHandler, uow=uow, backend=generation_backend, clock=clock, ids=ids
    )
    list_workflows = providers.Factory(ListWorkflows, uow=uow)
    get_workflow = providers.Factory(GetWorkflow, uow=uow)
    update_workflow = providers.Factory(UpdateWorkflowHandler, uow=uow, backend=generation_backend, clock=clock)
    delete_workflow = providers.Factory(DeleteWorkflowHandler, uow=uow)

    # issue 14: a job's own webhook_url, and supersede
    job_webhooks = providers.Factory(JobWebhookPolicy, outbound=outbound,
                                     signed=providers.Callable(bool, settings.provided.webhook_secret))
    supersede_earlier = providers.Factory(SupersedeEarlier, jobs=jobs, clock=clock)
    cancel_scope = providers.Factory(CancelScopeHandler, jobs=jobs, uow=uow, cancel_jobs=cancel_jobs)
    owner_backlog = providers.Singleton(MongoOwnerBacklog, database=database.provided.handle)
    owner_cap = providers.Factory(OwnerCap, backlog=owner_backlog, max_pending=settings.provided.queue_max_pending_per_owner)
    enqueue_generation = providers.Factory(EnqueueGenerationHandler, uow=uow, jobs=jobs, composer=job_composer,
                                           signal=queue_signal, supersede=supersede_earlier, webhooks=job_webhooks,
                                           cap=owner_cap)
    enqueue_batch = providers.Factory(EnqueueBatchHandler, uow=uow, jobs=jobs, composer=job_composer, ids=ids,
                                      signal=queue_signal, webhooks=job_webhooks, cap=owner_cap)
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

    # --- issue 13: the song's analysis (a worker process, resumed at start-up), lyrics, snapping to beats ---
    music_analyser = providers.Singleton(MadmomMusicAnalyser)
    music_analyses = providers.Singleton(MongoMusicAnalysisStore, database=database.provided.handle)
    analyse_music = providers.Factory(AnalyseMusicHandler, store=music_analyses, analyser=music_analyser,
                                      media=media_store, clock=clock)
    music_analysis_runner = providers.Singleton(MusicAnalysisRunner, store=music_analyses,
                                                new_handler=analyse_music.provider, clock=clock)
    get_music_analysis = providers.Factory(GetMusicAnalysis, uow=uow, store=music_analyses)
    request_music_analysis = providers.Factory(RequestMusicAnalysis, uow=uow, runner=music_analysis_runner)
    import_lyrics = providers.Factory(ImportLyricsHandler, uow=uow, clock=clock, ids=ids)
    snap_scene = providers.Factory(SnapSceneHandler, uow=uow, analyses=music_analyses, presets=presets, clock=clock)
    # --- end issue 13 ---

    upload_music = providers.Factory(UploadMusicHandler, uow=uow, media=media_store, probe=media_probe, clock=clock,
                                     max_mb=settings.provided.max_music_size_mb,
                                     analysis=music_analysis_runner)  # issue 13: analysed in the background
    upload_image = providers.Factory(UploadImageHandler, uow=uow, media=media_store, probe=media_probe, clock=clock,
                                     max_mb=settings.provided.max_image_size_mb,
                                     max_pixels=settings.provided.max_image_pixels)
    locate_media_file = providers.Factory(LocateMediaFile, media=media_store)
    remove_music = providers.Factory(RemoveMusicHandler, uow=uow, media=media_store, clock=clock)
    list_project_images = providers.Factory(ListProjectImages, uow=uow, media=media_store)
    delete_image = providers.Factory(DeleteImageHandler, uow=uow, media=media_store, clock=clock)
    export_timeline = providers.Factory(ExportTimelineHandler, reader=board_reader, exporter=timeline_exporter,
                                        analyses=music_analyses)  # issue 13: beat and bar markers

    register_video_provider = providers.Factory(RegisterProviderHandler, uow=uow, clock=clock, ids=ids,
                                                secrets=secret_box, signal=queue_signal, outbound=outbound,
                                                guard=outbound_guard)
    list_video_providers = providers.Factory(ListProviders, uow=uow)
    get_video_provider = providers.Factory(GetProvider, uow=uow)
    update_video_provider = providers.Factory(UpdateProviderHandler, uow=uow, clock=clock, secrets=secret_box,
                                              signal=queue_signal, outbound=outbound, guard=outbound_guard)
    delete_video_provider = providers.Factory(DeleteProviderHandler, uow=uow, cancel_jobs=cancel_jobs)
    configure_default_provider = providers.Factory(ConfigureDefaultProvider, uow=uow, clock=clock, secrets=secret_box,
                                                   delete=delete_video_provider)
    generate_video = providers.Factory(GenerateVideoHandler, uow=uow, jobs=jobs, clock=clock, ids=ids,
                                       signal=queue_signal,
                                       webhooks=job_webhooks, cap=owner_cap)  # issue 14: as a ComfyUI job's
    video_providers_status = providers.Factory(GetProvidersStatus, uow=uow, api=video_provider_backend)
    get_provider_job = providers.Factory(GetProviderJob, jobs=jobs, api=video_provider_backend)

    # issue 15: project bundles (backup and restore of a whole project)
    bundle_archive = providers.Singleton(ZipBundleArchive)
    export_bundle = providers.Factory(ExportBundleHandler, boards=board_reader, uow=uow, media=media_store,
                                      archive=bundle_archive)
    import_bundle = providers.Factory(ImportBundleHandler, uow=uow, ids=ids, media=media_store, archive=bundle_archive)

    # --- issue 14: signed webhooks (registry, the outbox of deliveries, the sender) ---
    webhook_store = providers.Singleton(MongoWebhookStore, database=database.provided.handle)
    webhook_outbox = providers.Singleton(MongoWebhookOutbox, database=database.provided.handle)
    job_endings = providers.Singleton(MongoJobEndings, database=database.provided.handle,
                                      converter=document_converter)
    webhook_sender = providers.Singleton(HttpWebhookSender, outbound=outbound,
                                         timeout_s=settings.provided.webhook_timeout_s)
    create_webhook = providers.Factory(CreateWebhookHandler, webhooks=webhook_store, clock=clock, ids=ids,
                                       secrets=secret_box, outbound=outbound)
    list_webhooks = providers.Factory(ListWebhooks, webhooks=webhook_store)
    get_webhook = providers.Factory(GetWebhook, webhooks=webhook_store)
    update_webhook = providers.Factory(UpdateWebhookHandler, webhooks=webhook_store, clock=clock, outbound=outbound)
    delete_webhook = providers.Factory(DeleteWebhookHandler, webhooks=webhook_store, outbox=webhook_outbox)
    list_deliveries = providers.Factory(ListDeliveries, webhooks=webhook_store, outbox=webhook_outbox)
    announce_endings = providers.Factory(AnnounceEndings, endings=job_endings, webhooks=webhook_store,
                                         outbox=webhook_outbox, clock=clock)
    deliver_webhooks = providers.Factory(
        DeliverWebhooks, outbox=webhook_outbox, webhooks=webhook_store, sender=webhook_sender, secrets=secret_box,
        clock=clock, owner=instance_id, own_url_secret=settings.provided.webhook_secret,
        policy=providers.Factory(
            RetryPolicy, base=providers.Factory(timedelta, seconds=settings.provided.webhook_retry_base_s),
            retry_for=providers.Factory(timedelta, hours=settings.provided.webhook_retry_hours)),
        lease=providers.Callable(lambda timeout: timedelta(seconds=2 * timeout + 30),
                                 settings.provided.webhook_timeout_s),  # longer than a send: no second sender
    )
    # --- end of issue 14's webhooks ---

    # --- issue 13: the storyboard sheet (reportlab, pypdfium2) and the animatic (PyAV, rendered in a thread) ---
    storyboard_renderer = providers.Singleton(ReportlabStoryboardRenderer, locate=media_store.provided.locate)
    render_storyboard = providers.Factory(RenderStoryboardHandler, reader=board_reader, renderer=storyboard_renderer,
                                          analyses=music_analyses)
    render_storyboard_page = providers.Factory(RenderStoryboardPageHandler, sheet=render_storyboard)
    render_jobs = providers.Singleton(MongoRenderJobStore, database=database.provided.handle,
                                      converter=document_converter)
    animatic_renderer = providers.Singleton(PyAVAnimaticRenderer, root=settings.provided.upload_dir,
                                            locate_media=media_store.provided.locate)
    render_tasks = providers.Singleton(RenderTasks)
    run_animatic = providers.Factory(RunAnimatic, reader=board_reader, renders=render_jobs,
                                     renderer=animatic_renderer, clock=clock, tasks=render_tasks)
    start_animatic = providers.Factory(StartAnimaticHandler, reader=board_reader, renders=render_jobs, clock=clock,
                                       ids=ids, tasks=render_tasks, runner=run_animatic)
    animatic_job = providers.Factory(GetAnimaticJob, renders=render_jobs, clock=clock)
    locate_animatic = providers.Factory(LocateAnimatic, renders=render_jobs, renderer=animatic_renderer, clock=clock)
    # --- end of issue 13's sheet and animatic ---


@asynccontextmanager
async def database_lifetime(container: Container) -> AsyncIterator[None]:
    """The one database bootstrap of the API and the scripts: open the container's database, close it afterwards."""
    if container.database.overridden:
        yield
        return
    await container.database.init()
    # Initialised, the async Resource would still hand out awaitables; the factories want the Database itself.
    container.database.disable_async_mode()
    try:
        yield
    finally:
        container.database.reset_async_mode()
        await container.database.shutdown()
