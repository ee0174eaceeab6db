// Generated from the API's OpenAPI document by `npm run api:types`: do not edit by hand.
export interface paths {
  '/api/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/version': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['VersionController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/teams': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TeamsController_list'];
    put?: never;
    post: operations['TeamsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/teams/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TeamsController_get'];
    put?: never;
    post?: never;
    delete: operations['TeamsController_delete'];
    options?: never;
    head?: never;
    patch: operations['TeamsController_update'];
    trace?: never;
  };
  '/api/participants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ParticipantsController_list'];
    put: operations['ParticipantsController_bulkUpsert'];
    post: operations['ParticipantsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/participants/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ParticipantsController_get'];
    put?: never;
    post?: never;
    delete: operations['ParticipantsController_delete'];
    options?: never;
    head?: never;
    patch: operations['ParticipantsController_update'];
    trace?: never;
  };
  '/api/participants/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ParticipantsController_getHistory'];
    put: operations['ParticipantsController_replaceHistory'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['HistoryController_bulkUpsert'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/participants/{id}/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PlansController_get'];
    put: operations['PlansController_replace'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['EventsController_ingest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_list'];
    put?: never;
    post: operations['ContestsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_get'];
    put: operations['ContestsController_replace'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['ContestsController_update'];
    trace?: never;
  };
  '/api/contests/{id}/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_rules'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/file': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_file'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_plans'];
    put: operations['ContestsController_replacePlans'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/scenario': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['ContestsController_approveScenario'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/launch': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_launch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/clone': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_clone'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/unschedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_unschedule'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/close': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_close'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/standings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_standings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_feed'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/corrections': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_correct'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_audit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/checkpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_checkpoints'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/checkpoints/{number}/publish': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_publish'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/report': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_report'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/clawbacks/{clawbackId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContestsController_decideClawback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/prizes/{place}/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContestsController_image'];
    put: operations['ContestsController_putImage'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/demo': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['DemoController_entry'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_list'];
    put?: never;
    post: operations['IntegrationsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations/sync-alerts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_alerts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_get'];
    put?: never;
    post?: never;
    delete: operations['IntegrationsController_revoke'];
    options?: never;
    head?: never;
    patch: operations['IntegrationsController_update'];
    trace?: never;
  };
  '/api/integrations/{id}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['IntegrationsController_sync'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations/{id}/held': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_held'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations/{id}/reconciliation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_reconcile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations/{id}/mappings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_mappings'];
    put: operations['IntegrationsController_replaceMappings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/integrations/{id}/crm-users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['IntegrationsController_crmUsers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['IntegrationsController_receive'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/webhooks/amocrm/{id}/{secret}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['IntegrationsController_amocrm'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/webhooks/bitrix24/{id}/{secret}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['IntegrationsController_bitrix24'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuthController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuthController_logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuthController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/simulations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SimulationsController_list'];
    put?: never;
    post: operations['SimulationsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/simulations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SimulationsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/simulations/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['SimulationsController_cancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/forecast': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ForecastsController_forecast'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/forecast/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ForecastsController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/imports/sheet': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ImportsController_sheet'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/imports/{kind}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ImportsController_run'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/imports/templates/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ImportsController_template'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/standings.{format}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ExportsController_standings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/checkpoints/{number}.{format}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ExportsController_checkpoint'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/contests/{id}/report.{format}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ExportsController_report'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/exports/simulation.{format}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ExportsController_simulationResult'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/simulations/{id}/result.{format}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ExportsController_simulation'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/participants/{id}/telegram-link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['NotificationsController_participantLink'];
    delete: operations['NotificationsController_unlinkParticipant'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/telegram/chats/link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['NotificationsController_groupLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/telegram/chats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['NotificationsController_groups'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/telegram/chats/{chatId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['NotificationsController_unlinkChat'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/telegram/webhook': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['NotificationsController_webhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['NotificationsController_recent'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/notifications/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['NotificationsController_retry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/participants/{id}/notification-settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['NotificationsController_participantSettings'];
    put: operations['NotificationsController_updateParticipantSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/telegram/chats/{chatId}/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['NotificationsController_updateChatSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/unsubscribe/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UnsubscribeController_ask'];
    put?: never;
    post: operations['UnsubscribeController_confirm'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UsersController_list'];
    put?: never;
    post: operations['UsersController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['UsersController_delete'];
    options?: never;
    head?: never;
    patch: operations['UsersController_update'];
    trace?: never;
  };
  '/api/displays': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['DisplaysController_list'];
    put?: never;
    post: operations['DisplaysController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/displays/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['DisplaysController_revoke'];
    options?: never;
    head?: never;
    patch: operations['DisplaysController_update'];
    trace?: never;
  };
  '/api/displays/{id}/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['DisplaysController_reissueToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/displays/{id}/contests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['DisplaysController_setContests'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ApiKeysController_list'];
    put?: never;
    post: operations['ApiKeysController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['ApiKeysController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/participants/{id}/personal-link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PersonalLinksController_status'];
    put?: never;
    post: operations['PersonalLinksController_create'];
    delete: operations['PersonalLinksController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/personal-links/open': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['PersonalLinksController_open'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ApiKey: {
      id: string;
      name: string;
      keyPrefix: string;
      scopes: 'events:write'[];
      createdAt: string;
      lastUsedAt: string | null;
    };
    AuditEntry: {
      id: number;
      at: string;
      actor: string;
      action: string;
      fromState: string | null;
      toState: string | null;
      details: unknown;
    };
    Checkpoint: {
      id: string;
      contestId: string;
      number: number;
      boundary: string;
      seq: number;
      standings: {
        contestId: string;
        seq: number;
        name: string;
        currency: string;
        period: {
          start: string;
          end: string;
        };
        asOf: string | null;
        planMarginMinor: number;
        planTurnoverMinor: number;
        actualMarginMinor: number;
        actualTurnoverMinor: number;
        aboveplanMarginMinor: number;
        fundMinor: number;
        prizes: {
          place: number;
          league: string | null;
          title: string;
          costMinor: number;
          amountMinor: number;
          unlocked: boolean;
          paidMinor: number;
          winnerParticipantId: string | null;
          requiredFundMinor: number | null;
          missingFundMinor: number | null;
          missingAboveplanMarginMinor: number | null;
          missingTurnoverMinor: number | null;
        }[];
        prizesPaidMinor: number;
        breakEven: {
          aboveplanMarginMinor: number | null;
          turnoverMinor: number | null;
          percentOverPlan: number | null;
        };
        roi: number | null;
        standings: {
          participantId: string;
          name: string;
          team: string | null;
          league: string | null;
          rank: number;
          points: number;
          eligible: boolean;
          reachedAt: string | null;
          prize: {
            place: number;
            league: string | null;
          } | null;
          criteria: {
            /** @enum {string} */
            metric:
              | 'turnover'
              | 'margin'
              | 'deals'
              | 'newClients'
              | 'avgCheck'
              | 'conversion'
              | 'productTurnover'
              | 'productUnits'
              | 'counter';
            product?: string;
            name?: string;
            /** @enum {string} */
            basis: 'absolute' | 'percentOfPlan' | 'growth';
            value: number | null;
            normalized: number | null;
            points: number | null;
          }[];
          whatItTakes?: {
            nextPlace: {
              participantId: string;
              points: number;
            } | null;
            prize: {
              place: number;
              league: string | null;
              held: boolean;
              points: number | null;
            } | null;
            criteria: {
              /** @enum {string} */
              metric:
                | 'turnover'
                | 'margin'
                | 'deals'
                | 'newClients'
                | 'avgCheck'
                | 'conversion'
                | 'productTurnover'
                | 'productUnits'
                | 'counter';
              product?: string;
              name?: string;
              toNextPlace: number | null;
              toPrize: number | null;
            }[];
          };
        }[];
        teams: {
          team: string;
          rank: number;
          points: number;
          members: number;
        }[];
      };
      createdAt: string;
      publishedAt: string | null;
      publishedBy: string | null;
    };
    Clawback: {
      id: number;
      participantId: string;
      participantName: string;
      source: string;
      saleExternalId: string;
      saleOccurredAt: string;
      amountMinor: number;
      marginMinor: number;
      reversalExternalId: string;
      cancelledAt: string;
      recordedAt: string;
      decision: ('recover' | 'waive') | null;
      note: string | null;
      decidedBy: string | null;
      decidedAt: string | null;
      wouldHave: {
        rankBefore: number;
        rankAfter: number;
        pointsBefore: number;
        pointsAfter: number;
        prizeBefore: {
          place: number;
          league: string | null;
          title: string;
          paidMinor: number;
        } | null;
        prizeAfter: {
          place: number;
          league: string | null;
          title: string;
          paidMinor: number;
        } | null;
        fundBeforeMinor: number;
        fundAfterMinor: number;
        prizes: {
          place: number;
          league: string | null;
          title: string;
          amountBeforeMinor: number;
          amountAfterMinor: number;
          unlockedBefore: boolean;
          unlockedAfter: boolean;
          winnerBefore: string | null;
          winnerAfter: string | null;
        }[];
      };
    };
    ContestDefinition: {
      $schema?: string;
      name: string;
      description?: string;
      /** @default RUB */
      currency: string;
      period: {
        /** @description Inclusive. A date alone means 00:00 UTC. */
        start: string;
        /** @description Exclusive. A date alone means 00:00 UTC. */
        end: string;
      };
      funding: {
        /** @description Share of the above-plan margin that goes to the fund, in (0, 1]. */
        fundShare: number;
        /** @default 0 */
        guaranteedMinor: number;
        /** @default null */
        capMinor: number | null;
        /**
         * @default unlockInOrder
         * @enum {string}
         */
        mode: 'unlockInOrder' | 'proRata' | 'pool';
      };
      prizes: {
        place: number;
        title: string;
        costMinor: number;
        image?: string;
        league?: string;
        /** @description pool mode: percentage of the fund for this place. */
        poolPercent?: number;
      }[];
      criteria: {
        /** @enum {string} */
        metric:
          | 'turnover'
          | 'margin'
          | 'deals'
          | 'newClients'
          | 'avgCheck'
          | 'conversion'
          | 'productTurnover'
          | 'productUnits'
          | 'counter';
        /** @description Product or category, for productTurnover and productUnits only. */
        product?: string;
        /** @description Counter name, for metric counter only. */
        name?: string;
        /** @enum {string} */
        basis: 'absolute' | 'percentOfPlan' | 'growth';
        /** @description avgCheck and conversion: deals needed before the metric scores. */
        minDeals?: number;
        /** @description conversion: leads needed before the metric scores (default 1). */
        minLeads?: number;
        /** @description absolute basis: amount of the metric worth one normalized point. */
        unit?: number;
        /** @default 1 */
        weight: number;
        /** @description Upper bound of the normalized value. */
        cap?: number;
        /** @description Lower bound of the normalized value. */
        floor?: number;
        title?: string;
      }[];
      /** @default [] */
      eligibility: {
        /** @enum {string} */
        metric:
          | 'turnover'
          | 'margin'
          | 'deals'
          | 'newClients'
          | 'avgCheck'
          | 'conversion'
          | 'productTurnover'
          | 'productUnits'
          | 'counter';
        /** @description Product or category, for productTurnover and productUnits only. */
        product?: string;
        /** @description Counter name, for metric counter only. */
        name?: string;
        /** @enum {string} */
        basis: 'absolute' | 'percentOfPlan' | 'growth';
        /** @description avgCheck and conversion: deals needed before the metric scores. */
        minDeals?: number;
        /** @description conversion: leads needed before the metric scores (default 1). */
        minLeads?: number;
        /** @description Minimum normalized value (absolute: the raw metric; percentOfPlan: % of plan; growth: % growth). */
        min: number;
      }[];
      leagues?: {
        /**
         * @description tenure: 'newcomer' | 'veteran'; role: 'hunter' | 'farmer'; team: the team name; field: the participant's league.
         * @enum {string}
         */
        by: 'tenure' | 'role' | 'team' | 'field';
        /** @default 6 */
        newcomerMonths: number;
      };
      /** @default {
       *       "aggregate": "sum"
       *     } */
      teamStandings: {
        /**
         * @default sum
         * @enum {string}
         */
        aggregate: 'sum' | 'average';
      };
      participants: {
        id: string;
        name: string;
        team?: string;
        /** @enum {string} */
        role?: 'hunter' | 'farmer';
        /** Format: date */
        hiredOn?: string;
        isNewcomer?: boolean;
        league?: string;
        /** @description Plan for the whole contest period. */
        plan: {
          turnoverMinor: number;
          marginMinor: number;
          deals?: number;
          newClients?: number;
          avgCheckMinor?: number;
          conversion?: number;
          products?: {
            [key: string]: {
              turnoverMinor?: number;
              units?: number;
            };
          };
          counters?: {
            [key: string]: number;
          };
        };
        history?: {
          month: string;
          turnoverMinor: number;
          marginMinor: number;
          deals?: number;
          newClients?: number;
          leads?: number;
          products?: {
            [key: string]: {
              turnoverMinor?: number;
              units?: number;
            };
          };
          counters?: {
            [key: string]: number;
          };
        }[];
        stats?: {
          turnoverMeanMinor: number;
          turnoverCv?: number;
          marginRate?: number;
          dealsMean?: number;
          newClientsMean?: number;
          leadsMean?: number;
        };
      }[];
      scenario?: {
        /** @default 0.1 */
        uplift: number;
        /** @default 0.3 */
        correlation: number;
        /** @default 10000 */
        trials: number;
        /** @default 1 */
        seed: number;
      };
    };
    ContestReport: {
      contestId: string;
      closedAt: string;
      seq: number;
      currency: string;
      planMarginMinor: number;
      actualMarginMinor: number;
      aboveplanMarginMinor: number;
      fundMinor: number;
      prizesPaidMinor: number;
      prizes: {
        place: number;
        league: string | null;
        title: string;
        costMinor: number;
        amountMinor: number;
        unlocked: boolean;
        paidMinor: number;
        winnerParticipantId: string | null;
        requiredFundMinor: number | null;
        missingFundMinor: number | null;
        missingAboveplanMarginMinor: number | null;
        missingTurnoverMinor: number | null;
      }[];
      roi: number | null;
      baselineMarginMinor: number | null;
      incrementalMarginMinor: number | null;
      incrementalRoi: number | null;
      clawbacks: {
        id: number;
        participantId: string;
        participantName: string;
        source: string;
        saleExternalId: string;
        saleOccurredAt: string;
        amountMinor: number;
        marginMinor: number;
        reversalExternalId: string;
        cancelledAt: string;
        recordedAt: string;
        decision: ('recover' | 'waive') | null;
        note: string | null;
        decidedBy: string | null;
        decidedAt: string | null;
        wouldHave: {
          rankBefore: number;
          rankAfter: number;
          pointsBefore: number;
          pointsAfter: number;
          prizeBefore: {
            place: number;
            league: string | null;
            title: string;
            paidMinor: number;
          } | null;
          prizeAfter: {
            place: number;
            league: string | null;
            title: string;
            paidMinor: number;
          } | null;
          fundBeforeMinor: number;
          fundAfterMinor: number;
          prizes: {
            place: number;
            league: string | null;
            title: string;
            amountBeforeMinor: number;
            amountAfterMinor: number;
            unlockedBefore: boolean;
            unlockedAfter: boolean;
            winnerBefore: string | null;
            winnerAfter: string | null;
          }[];
        };
      }[];
    };
    ContestRules: {
      name: string;
      description: string | null;
      currency: string;
      period: {
        start: string;
        end: string;
      };
      criteria: {
        /** @enum {string} */
        metric:
          | 'turnover'
          | 'margin'
          | 'deals'
          | 'newClients'
          | 'avgCheck'
          | 'conversion'
          | 'productTurnover'
          | 'productUnits'
          | 'counter';
        product: string | null;
        name: string | null;
        /** @enum {string} */
        basis: 'absolute' | 'percentOfPlan' | 'growth';
        minDeals: number | null;
        minLeads: number | null;
        title: string | null;
        unit: number | null;
        weight: number;
        cap: number | null;
        floor: number | null;
      }[];
      eligibility: {
        /** @enum {string} */
        metric:
          | 'turnover'
          | 'margin'
          | 'deals'
          | 'newClients'
          | 'avgCheck'
          | 'conversion'
          | 'productTurnover'
          | 'productUnits'
          | 'counter';
        product: string | null;
        name: string | null;
        /** @enum {string} */
        basis: 'absolute' | 'percentOfPlan' | 'growth';
        minDeals: number | null;
        minLeads: number | null;
        min: number;
      }[];
      leagues: {
        /** @enum {string} */
        by: 'tenure' | 'role' | 'team' | 'field';
        newcomerMonths: number;
      } | null;
      prizes: {
        place: number;
        league: string | null;
        title: string;
        costMinor: number;
        poolPercent: number | null;
        hasImage: boolean;
      }[];
      funding: {
        fundShare: number;
        guaranteedMinor: number;
        capMinor: number | null;
        /** @enum {string} */
        mode: 'unlockInOrder' | 'proRata' | 'pool';
      };
      teamStandings: {
        /** @enum {string} */
        aggregate: 'sum' | 'average';
        teams: number;
      } | null;
      id: string;
    };
    ContestSummary: {
      id: string;
      name: string;
      /** @enum {string} */
      state: 'draft' | 'scheduled' | 'live' | 'closing' | 'closed';
      currency: string;
      period: {
        start: string;
        end: string;
      };
      graceDays: number;
      showAmounts: boolean;
      seq: number;
      participants: number;
      prizes: {
        place: number;
        league: string | null;
        title: string;
        costMinor: number;
        hasImage?: boolean;
      }[];
      launchedAt: string | null;
      closedAt: string | null;
      createdAt: string;
      /** @description Staff only: the approved simulation and its fairness verdict */
      approval?: {
        /** @enum {string} */
        verdict: 'balanced' | 'unbalanced';
        approvedAt: string;
        approvedBy: string;
        simulationId: string | null;
        /** @description The rules are the ones the simulation judged */
        current: boolean;
      } | null;
      /** @description Staff only: the next month's draft is made once the period ends */
      repeatMonthly?: boolean;
    };
    ContestTransition: {
      id: string;
      /** @enum {string} */
      state: 'draft' | 'scheduled' | 'live' | 'closing' | 'closed';
    };
    CreatedApiKey: {
      id: string;
      name: string;
      keyPrefix: string;
      scopes: 'events:write'[];
      createdAt: string;
      lastUsedAt: string | null;
      key: string;
    };
    CreatedContest: {
      id: string;
      /** @enum {string} */
      state: 'draft' | 'scheduled' | 'live' | 'closing' | 'closed';
    };
    CreatedDisplay: {
      /** @enum {string} */
      language: 'ru' | 'en';
      slides: (
        | 'leaderboard'
        | 'prizes'
        | 'contenders'
        | 'results'
        | 'teams'
        | 'newcomers'
        | 'rules'
        | 'deals'
      )[];
      slideSeconds: number;
      sound: boolean;
      id: string;
      name: string;
      contestIds: string[];
      createdAt: string;
      token: string;
      url: string;
    };
    CreatedIntegration: {
      id: string;
      /** @enum {string} */
      kind: 'webhook' | 'amocrm' | 'bitrix24' | '1c-odata';
      name: string;
      settings: {
        [key: string]: unknown;
      };
      webhookUrl: string;
      createdAt: string;
      lastUsedAt: string | null;
      revoked: boolean;
      sync: {
        lastStartedAt: string | null;
        lastFinishedAt: string | null;
        outcome: ('ok' | 'failed') | null;
        error: string | null;
        consecutiveFailures: number;
        read: number;
        applied: number;
        failures: {
          dealId: string;
          reason: string;
        }[];
        intervalMinutes: number;
        nextDueAt: string | null;
      } | null;
      secret: string;
    };
    CreatedPersonalLink: {
      participantId: string;
      token: string;
      path: string;
      url: string;
      createdAt: string;
    };
    CrmUser: {
      id: string;
      name: string;
    };
    DemoEntry: {
      accounts: {
        email: string;
        password: string;
        /** @enum {string} */
        role: 'admin' | 'director' | 'manager' | 'seller';
      }[];
      tvUrl: string;
      phoneUrl: string;
    };
    Display: {
      /** @enum {string} */
      language: 'ru' | 'en';
      slides: (
        | 'leaderboard'
        | 'prizes'
        | 'contenders'
        | 'results'
        | 'teams'
        | 'newcomers'
        | 'rules'
        | 'deals'
      )[];
      slideSeconds: number;
      sound: boolean;
      id: string;
      name: string;
      contestIds: string[];
      createdAt: string;
    };
    FeedEvent: {
      seq: number;
      id: number;
      author: string | null;
      receivedAt: string;
      event:
        | {
            /** @constant */
            type: 'sale';
            /** @description Id of the event in its source; (source, externalId) is unique. */
            externalId: string;
            /** @description The system the event comes from (crm, 1c, manual, …). */
            source: string;
            participantId: string;
            /** Format: date-time */
            occurredAt: string;
            /** @description Turnover of the deal in minor units. */
            amountMinor: number;
            /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
            marginMinor: number;
            clientId?: string;
            /** @default false */
            isNewClient: boolean;
            product?: string;
            /** @default 1 */
            quantity: number;
          }
        | {
            /** @constant */
            type: 'lead';
            /** @description Id of the event in its source; (source, externalId) is unique. */
            externalId: string;
            /** @description The system the event comes from (crm, 1c, manual, …). */
            source: string;
            participantId: string;
            /** Format: date-time */
            occurredAt: string;
            clientId?: string;
          }
        | {
            /** @constant */
            type: 'reversal';
            /** @description Id of the event in its source; (source, externalId) is unique. */
            externalId: string;
            /** @description The system the event comes from (crm, 1c, manual, …). */
            source: string;
            participantId: string;
            /** Format: date-time */
            occurredAt: string;
            /** @description externalId (same source) of the event this reversal cancels. */
            reversesExternalId: string;
          }
        | {
            /** @constant */
            type: 'counter';
            /** @description Id of the event in its source; (source, externalId) is unique. */
            externalId: string;
            /** @description The system the event comes from (crm, 1c, manual, …). */
            source: string;
            participantId: string;
            /** Format: date-time */
            occurredAt: string;
            /** @description Counter name, e.g. calls or meetings. */
            name: string;
            value: number;
          };
    };
    Forecast: {
      contestId: string;
      seq: number;
      asOf: string;
      computedAt: string;
      elapsedFraction: number;
      final: boolean;
      trials: number;
      fund: {
        meanMinor: number;
        p10Minor: number;
        p50Minor: number;
        p90Minor: number;
      };
      pAllPrizesFunded: number;
      prizes: {
        place: number;
        league: string | null;
        title: string;
        costMinor: number;
        pUnlocked: number;
      }[];
      participants: {
        participantId: string;
        pFirst: number;
        pPrize: number;
        expectedRank: number;
      }[];
      pace: {
        planMarginToDateMinor: number;
        actualMarginMinor: number;
        projectedMarginP50Minor: number;
      };
      /** @description Staff only (null for sellers and displays): the approved simulation’s chance that every prize is funded, the alert margin, and whether the forecast fell below it by more than the margin */
      approved: {
        pAllPrizesFunded: number | null;
        alertMargin: number;
        below: boolean;
      } | null;
    };
    ForecastHistory: {
      points: {
        day: string;
        seq: number;
        asOf: string;
        checkpoint: number | null;
        fund: {
          p10Minor: number;
          p50Minor: number;
          p90Minor: number;
        };
        pAllPrizesFunded: number;
        pace: {
          planMarginToDateMinor: number;
          actualMarginMinor: number;
        };
        participants: {
          participantId: string;
          pPrize: number;
        }[];
      }[];
    };
    GroupTelegramLink: {
      code: string;
      command: string;
      expiresAt: string;
    };
    Health: {
      /** @enum {string} */
      status: 'ok' | 'unavailable';
      /** @enum {string} */
      db: 'up' | 'down';
    };
    Held: {
      deals: {
        dealId: string;
        crmUserId: string;
        /** @enum {string} */
        reason: 'unmapped' | 'currency' | 'margin';
        detail: string;
        amountMinor: number;
        marginMinor: number | null;
        currency: string | null;
        occurredAt: string;
        heldAt: string;
      }[];
      failedFetches: {
        dealId: string;
        event: string;
        attempts: number;
        error: string;
        receivedAt: string;
        failedAt: string;
      }[];
      pendingFetches: number;
    };
    HistoryMonth: {
      month: string;
      turnoverMinor: number;
      marginMinor: number;
      deals?: number;
      newClients?: number;
      leads?: number;
      products?: {
        [key: string]: {
          turnoverMinor?: number;
          units?: number;
        };
      };
      counters?: {
        [key: string]: number;
      };
    };
    ImportReport: {
      /** @enum {string} */
      kind: 'participants' | 'plans' | 'history' | 'deals';
      dryRun: boolean;
      rows: number;
      valid: number;
      issues: {
        row: number;
        column: string;
        code: string;
        params?: {
          [key: string]: number | string;
        };
        reason: string;
        path: string;
        message: string;
      }[];
      created: number;
      updated: number;
    };
    Integration: {
      id: string;
      /** @enum {string} */
      kind: 'webhook' | 'amocrm' | 'bitrix24' | '1c-odata';
      name: string;
      settings: {
        [key: string]: unknown;
      };
      webhookUrl: string;
      createdAt: string;
      lastUsedAt: string | null;
      revoked: boolean;
      sync: {
        lastStartedAt: string | null;
        lastFinishedAt: string | null;
        outcome: ('ok' | 'failed') | null;
        error: string | null;
        consecutiveFailures: number;
        read: number;
        applied: number;
        failures: {
          dealId: string;
          reason: string;
        }[];
        intervalMinutes: number;
        nextDueAt: string | null;
      } | null;
    };
    Login: {
      token: string;
      expiresAt: string;
      user: {
        id: string;
        email: string;
        /** @enum {string} */
        role: 'admin' | 'director' | 'manager' | 'seller';
        participantId: string | null;
      };
    };
    Mappings: {
      [key: string]: string;
    };
    Me:
      | {
          /** @constant */
          kind: 'user';
          expiresAt: string;
          user: {
            id: string;
            email: string;
            /** @enum {string} */
            role: 'admin' | 'director' | 'manager' | 'seller';
            participantId: string | null;
          };
        }
      | {
          /** @constant */
          kind: 'display';
          display: {
            id: string;
            name: string;
            contestIds: string[];
            /** @enum {string} */
            language: 'ru' | 'en';
            slides: (
              | 'leaderboard'
              | 'prizes'
              | 'contenders'
              | 'results'
              | 'teams'
              | 'newcomers'
              | 'rules'
              | 'deals'
            )[];
            slideSeconds: number;
            sound: boolean;
          };
        }
      | {
          /** @constant */
          kind: 'apiKey';
          apiKey: {
            id: string;
            name: string;
            scopes: 'events:write'[];
          };
        };
    Notification: {
      id: number;
      /** @enum {string} */
      kind:
        | 'contestLaunched'
        | 'prizePlaceEntered'
        | 'prizePlaceLeft'
        | 'overtaken'
        | 'prizeUnlocked'
        | 'monthlyResult'
        | 'dailyDigest'
        | 'contestClosed'
        | 'bigDeal'
        | 'finalReport';
      /** @enum {string} */
      channel: 'telegram' | 'email';
      participantId: string | null;
      chatId: string | null;
      email: string | null;
      language: string;
      /** @enum {string} */
      state: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
      attempts: number;
      nextAttemptAt: string;
      lastError: string | null;
      createdAt: string;
      sentAt: string | null;
      text: string | null;
    };
    NotificationSettings: {
      language: string | null;
      switches: {
        [key: string]: boolean;
      };
    };
    OpenedPersonalLink: {
      participantId: string;
      name: string;
    };
    ParticipantDetail: {
      id: string;
      name: string;
      team: string | null;
      teamId: string | null;
      /** @enum {string} */
      role: 'hunter' | 'farmer';
      hiredOn: string | null;
      isNewcomer: boolean | null;
      league: string | null;
      externalIds: {
        source: string;
        externalId: string;
      }[];
      createdAt: string;
      updatedAt: string;
      historyMonths: string[];
    };
    ParticipantPage: {
      items: {
        id: string;
        name: string;
        team: string | null;
        teamId: string | null;
        /** @enum {string} */
        role: 'hunter' | 'farmer';
        hiredOn: string | null;
        isNewcomer: boolean | null;
        league: string | null;
        externalIds: {
          source: string;
          externalId: string;
        }[];
        createdAt: string;
        updatedAt: string;
      }[];
      total: number;
      limit: number;
      offset: number;
    };
    ParticipantTelegramLink: {
      url: string;
      code: string;
      expiresAt: string;
    };
    PersonalLinkStatus: {
      participantId: string;
      active: boolean;
      createdAt: string | null;
      lastUsedAt: string | null;
    };
    PlanMonth: {
      month: string;
      turnoverMinor: number;
      marginMinor: number;
      deals?: number;
      newClients?: number;
    };
    Reconciliation: {
      integrationId: string;
      contestId: string;
      contestName: string;
      periodStart: string;
      periodEnd: string;
      currency: string;
      crm: {
        count: number;
        amountMinor: number;
      };
      podium: {
        count: number;
        amountMinor: number;
      };
      differences: {
        dealId: string;
        /** @enum {string} */
        reason:
          | 'unmapped'
          | 'currency'
          | 'margin'
          | 'failedRead'
          | 'outsidePeriod'
          | 'outsidePipeline'
          | 'notInContest'
          | 'notWonInCrm';
        detail: string;
        crmUserId: string | null;
        participantId: string | null;
        wonAt: string | null;
        amountMinor: number | null;
        currency: string | null;
      }[];
    };
    SheetText: {
      header: string[];
      rows: {
        row: number;
        cells: string[];
      }[];
    };
    Standings: {
      contestId: string;
      seq: number;
      name: string;
      currency: string;
      period: {
        start: string;
        end: string;
      };
      asOf: string | null;
      planMarginMinor: number;
      planTurnoverMinor: number;
      actualMarginMinor: number;
      actualTurnoverMinor: number;
      aboveplanMarginMinor: number;
      fundMinor: number;
      prizes: {
        place: number;
        league: string | null;
        title: string;
        costMinor: number;
        amountMinor: number;
        unlocked: boolean;
        paidMinor: number;
        winnerParticipantId: string | null;
        requiredFundMinor: number | null;
        missingFundMinor: number | null;
        missingAboveplanMarginMinor: number | null;
        missingTurnoverMinor: number | null;
      }[];
      prizesPaidMinor: number;
      breakEven: {
        aboveplanMarginMinor: number | null;
        turnoverMinor: number | null;
        percentOverPlan: number | null;
      };
      roi: number | null;
      standings: {
        participantId: string;
        name: string;
        team: string | null;
        league: string | null;
        rank: number;
        points: number;
        eligible: boolean;
        reachedAt: string | null;
        prize: {
          place: number;
          league: string | null;
        } | null;
        criteria: {
          /** @enum {string} */
          metric:
            | 'turnover'
            | 'margin'
            | 'deals'
            | 'newClients'
            | 'avgCheck'
            | 'conversion'
            | 'productTurnover'
            | 'productUnits'
            | 'counter';
          product?: string;
          name?: string;
          /** @enum {string} */
          basis: 'absolute' | 'percentOfPlan' | 'growth';
          value: number | null;
          normalized: number | null;
          points: number | null;
        }[];
        whatItTakes?: {
          nextPlace: {
            participantId: string;
            points: number;
          } | null;
          prize: {
            place: number;
            league: string | null;
            held: boolean;
            points: number | null;
          } | null;
          criteria: {
            /** @enum {string} */
            metric:
              | 'turnover'
              | 'margin'
              | 'deals'
              | 'newClients'
              | 'avgCheck'
              | 'conversion'
              | 'productTurnover'
              | 'productUnits'
              | 'counter';
            product?: string;
            name?: string;
            toNextPlace: number | null;
            toPrize: number | null;
          }[];
        };
      }[];
      teams: {
        team: string;
        rank: number;
        points: number;
        members: number;
      }[];
    };
    SyncAlert: {
      integrationId: string;
      name: string;
      kind: string;
      consecutiveFailures: number;
      error: string | null;
      lastFinishedAt: string | null;
    };
    SyncRun: {
      /** @enum {string} */
      outcome: 'ok' | 'failed';
      read: number;
      applied: number;
      failures: {
        dealId: string;
        reason: string;
      }[];
      error: string | null;
      cursor: {
        modifiedSince: string;
        extra?: {
          [key: string]: string | number;
        };
      } | null;
      startedAt: string;
      finishedAt: string;
    };
    Team: {
      id: string;
      name: string;
      participantCount: number;
      createdAt: string;
    };
    TelegramGroup: {
      chatId: string;
      title: string | null;
      teamId: string | null;
      company: boolean;
      blocked: boolean;
    };
    User: {
      id: string;
      email: string;
      /** @enum {string} */
      role: 'admin' | 'director' | 'manager' | 'seller';
      participantId: string | null;
      createdAt: string;
      updatedAt: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{"status":"ok","db":"up"}`: the API and PostgreSQL answer */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
      /** @description `{"status":"unavailable","db":"down"}` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  VersionController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{"name":"podium","version":"0.1.0"}`; touches no database */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TeamsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every team, by name: `{ id, name, participantCount, createdAt }`[] */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Team'][];
        };
      };
    };
  };
  TeamsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Unique team name, as contest files and participants refer to it. */
          name: string;
        };
      };
    };
    responses: {
      /** @description `{ id, name, participantCount, createdAt }` */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Team'];
        };
      };
      /** @description A blank or too long `name` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Another team has this `name` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TeamsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ id, name, participantCount, createdAt }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Team'];
        };
      };
      /** @description No such team */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TeamsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such team */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The team still has participants: move them first */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TeamsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Unique team name, as contest files and participants refer to it. */
          name: string;
        };
      };
    };
    responses: {
      /** @description The renamed team: `{ id, name, participantCount, createdAt }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Team'];
        };
      };
      /** @description No such team */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Another team has this `name` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_list: {
    parameters: {
      query?: {
        team?: string;
        role?: 'hunter' | 'farmer';
        q?: string;
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page by name: `{ items, total, limit, offset }`, items without `historyMonths` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ParticipantPage'];
        };
      };
      /** @description A field breaks a rule: `issues[]` names each by path */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_bulkUpsert: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Up to 1,000 participants, upserted by id, all or nothing. Fields absent from an item are left as they are; teams named are created. */
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description Team name; created when new. */
          team?: string | null;
          /** @enum {string} */
          role?: 'hunter' | 'farmer';
          hiredOn?: string | null;
          /** @description Overrides the newcomer rule (hired less than N months ago). */
          isNewcomer?: boolean | null;
          /** @description League for `leagues.by: 'field'`. */
          league?: string | null;
          /** @description CRM users mapped to the participant; replaces every mapping when given. */
          externalIds?: {
            /** @description The CRM or system, e.g. "amocrm". */
            source: string;
            /** @description The user id in that system. */
            externalId: string;
          }[];
          /** @description Participant id as contest files use it, e.g. "p1". */
          id: string;
        }[];
      };
    };
    responses: {
      /** @description `{ created, updated, teamsCreated: [name] }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Every bad item by index and field: `[3].hiredOn` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A CRM identity held by a participant outside the batch: `[i].externalIds[j]` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description Generated (a UUID) when absent. */
          id?: string;
          name: string;
          /** @description Team name; created when new. */
          team?: string | null;
          /**
           * @default hunter
           * @enum {string}
           */
          role?: 'hunter' | 'farmer';
          hiredOn?: string | null;
          /** @description Overrides the newcomer rule (hired less than N months ago). */
          isNewcomer?: boolean | null;
          /** @description League for `leagues.by: 'field'`. */
          league?: string | null;
          /**
           * @description CRM users mapped to the participant; replaces every mapping when given.
           * @default []
           */
          externalIds?: {
            /** @description The CRM or system, e.g. "amocrm". */
            source: string;
            /** @description The user id in that system. */
            externalId: string;
          }[];
        };
      };
    };
    responses: {
      /** @description `{ id, name, team, teamId, role, hiredOn, isNewcomer, league, externalIds: [{ source, externalId }], createdAt, updatedAt, historyMonths: ["YYYY-MM"] }` */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ParticipantDetail'];
        };
      };
      /** @description A field breaks a rule: `issues[]` names each by path */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The `id` is taken, or an `externalIds[j]` is mapped to another participant */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ id, name, team, teamId, role, hiredOn, isNewcomer, league, externalIds: [{ source, externalId }], createdAt, updatedAt, historyMonths: ["YYYY-MM"] }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ParticipantDetail'];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted with its CRM identities and history */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The participant has events or is in a contest */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description Absent fields stay as they are; null clears; `externalIds` replaces every mapping. */
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          /** @description Team name; created when new. */
          team?: string | null;
          /** @enum {string} */
          role?: 'hunter' | 'farmer';
          hiredOn?: string | null;
          /** @description Overrides the newcomer rule (hired less than N months ago). */
          isNewcomer?: boolean | null;
          /** @description League for `leagues.by: 'field'`. */
          league?: string | null;
          /** @description CRM users mapped to the participant; replaces every mapping when given. */
          externalIds?: {
            /** @description The CRM or system, e.g. "amocrm". */
            source: string;
            /** @description The user id in that system. */
            externalId: string;
          }[];
        };
      };
    };
    responses: {
      /** @description `{ id, name, team, teamId, role, hiredOn, isNewcomer, league, externalIds: [{ source, externalId }], createdAt, updatedAt, historyMonths: ["YYYY-MM"] }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ParticipantDetail'];
        };
      };
      /** @description A field breaks a rule: `issues[]` names each by path */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An `externalIds[j]` is mapped to another participant */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_getHistory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every month, oldest first, as a contest file carries it: `[{ month, turnoverMinor, marginMinor, deals?, newClients?, leads?, products?, counters? }]` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HistoryMonth'][];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ParticipantsController_replaceHistory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description Every month of the participant: replaces what is stored. */
    requestBody: {
      content: {
        'application/json': {
          month: string;
          turnoverMinor: number;
          marginMinor: number;
          deals?: number;
          newClients?: number;
          leads?: number;
          products?: {
            [key: string]: {
              turnoverMinor?: number;
              units?: number;
            };
          };
          counters?: {
            [key: string]: number;
          };
        }[];
      };
    };
    responses: {
      /** @description The stored months, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HistoryMonth'][];
        };
      };
      /** @description Every bad month by index and field: `[2].turnoverMinor` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  HistoryController_bulkUpsert: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Up to 10,000 monthly rows of any participants, all or nothing. A stored month is overwritten; other months are kept. */
    requestBody: {
      content: {
        'application/json': {
          /** @description Participant id as contest files use it, e.g. "p1". */
          participantId: string;
          month: string;
          turnoverMinor: number;
          marginMinor: number;
          deals?: number;
          newClients?: number;
          leads?: number;
          products?: {
            [key: string]: {
              turnoverMinor?: number;
              units?: number;
            };
          };
          counters?: {
            [key: string]: number;
          };
        }[];
      };
    };
    responses: {
      /** @description `{ created, updated }`: months new and overwritten */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Every bad row by index and field, unknown participants as `[i].participantId` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PlansController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every planned month, oldest first: `[{ month, turnoverMinor, marginMinor, deals?, newClients? }]` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanMonth'][];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PlansController_replace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description Every planned month of the participant: replaces what is stored. */
    requestBody: {
      content: {
        'application/json': {
          month: string;
          turnoverMinor: number;
          marginMinor: number;
          deals?: number;
          newClients?: number;
        }[];
      };
    };
    responses: {
      /** @description The stored months, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlanMonth'][];
        };
      };
      /** @description Every bad month by index and field: `[2].turnoverMinor` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  EventsController_ingest: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One event or up to 1,000. Atomic: a bad item is a 400 naming it by index and field, and nothing is written. */
    requestBody: {
      content: {
        'application/json':
          | (
              | {
                  /** @constant */
                  type: 'sale';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Turnover of the deal in minor units. */
                  amountMinor: number;
                  /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                  marginMinor: number;
                  clientId?: string;
                  /** @default false */
                  isNewClient?: boolean;
                  product?: string;
                  /** @default 1 */
                  quantity?: number;
                }
              | {
                  /** @constant */
                  type: 'lead';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  clientId?: string;
                }
              | {
                  /** @constant */
                  type: 'reversal';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description externalId (same source) of the event this reversal cancels. */
                  reversesExternalId: string;
                }
              | {
                  /** @constant */
                  type: 'counter';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Counter name, e.g. calls or meetings. */
                  name: string;
                  value: number;
                }
            )
          | (
              | {
                  /** @constant */
                  type: 'sale';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Turnover of the deal in minor units. */
                  amountMinor: number;
                  /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                  marginMinor: number;
                  clientId?: string;
                  /** @default false */
                  isNewClient?: boolean;
                  product?: string;
                  /** @default 1 */
                  quantity?: number;
                }
              | {
                  /** @constant */
                  type: 'lead';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  clientId?: string;
                }
              | {
                  /** @constant */
                  type: 'reversal';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description externalId (same source) of the event this reversal cancels. */
                  reversesExternalId: string;
                }
              | {
                  /** @constant */
                  type: 'counter';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Counter name, e.g. calls or meetings. */
                  name: string;
                  value: number;
                }
            )[];
      };
    };
    responses: {
      /** @description Every event was already stored with the same payload: the original answer */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Stored; `contests` gives the sequence number in each live contest */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A source and externalId already stored with a different payload */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContestsController_list: {
    parameters: {
      query?: {
        state?: 'draft' | 'scheduled' | 'live' | 'closing' | 'closed';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The contests the caller may see */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestSummary'][];
        };
      };
    };
  };
  ContestsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A contest file (DESIGN §10); its `events` are not ingested here */
    requestBody: {
      content: {
        'application/json': {
          $schema?: string;
          name: string;
          description?: string;
          /** @default RUB */
          currency?: string;
          period: {
            /** @description Inclusive. A date alone means 00:00 UTC. */
            start: string;
            /** @description Exclusive. A date alone means 00:00 UTC. */
            end: string;
          };
          funding: {
            /** @description Share of the above-plan margin that goes to the fund, in (0, 1]. */
            fundShare: number;
            /** @default 0 */
            guaranteedMinor?: number;
            /** @default null */
            capMinor?: number | null;
            /**
             * @default unlockInOrder
             * @enum {string}
             */
            mode?: 'unlockInOrder' | 'proRata' | 'pool';
          };
          prizes: {
            place: number;
            title: string;
            costMinor: number;
            image?: string;
            league?: string;
            /** @description pool mode: percentage of the fund for this place. */
            poolPercent?: number;
          }[];
          criteria: {
            /** @enum {string} */
            metric:
              | 'turnover'
              | 'margin'
              | 'deals'
              | 'newClients'
              | 'avgCheck'
              | 'conversion'
              | 'productTurnover'
              | 'productUnits'
              | 'counter';
            /** @description Product or category, for productTurnover and productUnits only. */
            product?: string;
            /** @description Counter name, for metric counter only. */
            name?: string;
            /** @enum {string} */
            basis: 'absolute' | 'percentOfPlan' | 'growth';
            /** @description avgCheck and conversion: deals needed before the metric scores. */
            minDeals?: number;
            /** @description conversion: leads needed before the metric scores (default 1). */
            minLeads?: number;
            /** @description absolute basis: amount of the metric worth one normalized point. */
            unit?: number;
            /** @default 1 */
            weight?: number;
            /** @description Upper bound of the normalized value. */
            cap?: number;
            /** @description Lower bound of the normalized value. */
            floor?: number;
            title?: string;
          }[];
          /** @default [] */
          eligibility?: {
            /** @enum {string} */
            metric:
              | 'turnover'
              | 'margin'
              | 'deals'
              | 'newClients'
              | 'avgCheck'
              | 'conversion'
              | 'productTurnover'
              | 'productUnits'
              | 'counter';
            /** @description Product or category, for productTurnover and productUnits only. */
            product?: string;
            /** @description Counter name, for metric counter only. */
            name?: string;
            /** @enum {string} */
            basis: 'absolute' | 'percentOfPlan' | 'growth';
            /** @description avgCheck and conversion: deals needed before the metric scores. */
            minDeals?: number;
            /** @description conversion: leads needed before the metric scores (default 1). */
            minLeads?: number;
            /** @description Minimum normalized value (absolute: the raw metric; percentOfPlan: % of plan; growth: % growth). */
            min: number;
          }[];
          leagues?: {
            /**
             * @description tenure: 'newcomer' | 'veteran'; role: 'hunter' | 'farmer'; team: the team name; field: the participant's league.
             * @enum {string}
             */
            by: 'tenure' | 'role' | 'team' | 'field';
            /** @default 6 */
            newcomerMonths?: number;
          };
          /** @default {
           *       "aggregate": "sum"
           *     } */
          teamStandings?: {
            /**
             * @default sum
             * @enum {string}
             */
            aggregate?: 'sum' | 'average';
          };
          participants: {
            id: string;
            name: string;
            team?: string;
            /** @enum {string} */
            role?: 'hunter' | 'farmer';
            /** Format: date */
            hiredOn?: string;
            isNewcomer?: boolean;
            league?: string;
            /** @description Plan for the whole contest period. */
            plan: {
              turnoverMinor: number;
              marginMinor: number;
              deals?: number;
              newClients?: number;
              avgCheckMinor?: number;
              conversion?: number;
              products?: {
                [key: string]: {
                  turnoverMinor?: number;
                  units?: number;
                };
              };
              counters?: {
                [key: string]: number;
              };
            };
            history?: {
              month: string;
              turnoverMinor: number;
              marginMinor: number;
              deals?: number;
              newClients?: number;
              leads?: number;
              products?: {
                [key: string]: {
                  turnoverMinor?: number;
                  units?: number;
                };
              };
              counters?: {
                [key: string]: number;
              };
            }[];
            stats?: {
              turnoverMeanMinor: number;
              turnoverCv?: number;
              marginRate?: number;
              dealsMean?: number;
              newClientsMean?: number;
              leadsMean?: number;
            };
          }[];
          /** @default [] */
          events?: (
            | {
                /** @constant */
                type: 'sale';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                /** @description Turnover of the deal in minor units. */
                amountMinor: number;
                /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                marginMinor: number;
                clientId?: string;
                /** @default false */
                isNewClient?: boolean;
                product?: string;
                /** @default 1 */
                quantity?: number;
              }
            | {
                /** @constant */
                type: 'lead';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                clientId?: string;
              }
            | {
                /** @constant */
                type: 'reversal';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                /** @description externalId (same source) of the event this reversal cancels. */
                reversesExternalId: string;
              }
            | {
                /** @constant */
                type: 'counter';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                /** @description Counter name, e.g. calls or meetings. */
                name: string;
                value: number;
              }
          )[];
          scenario?: {
            /** @default 0.1 */
            uplift?: number;
            /** @default 0.3 */
            correlation?: number;
            /** @default 10000 */
            trials?: number;
            /** @default 1 */
            seed?: number;
          };
        };
      };
    };
    responses: {
      /** @description The new draft: `{ id, state }` */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedContest'];
        };
      };
    };
  };
  ContestsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The contest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestSummary'];
        };
      };
    };
  };
  ContestsController_replace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description Replaces the rules of a draft contest */
    requestBody: {
      content: {
        'application/json': {
          $schema?: string;
          name: string;
          description?: string;
          /** @default RUB */
          currency?: string;
          period: {
            /** @description Inclusive. A date alone means 00:00 UTC. */
            start: string;
            /** @description Exclusive. A date alone means 00:00 UTC. */
            end: string;
          };
          funding: {
            /** @description Share of the above-plan margin that goes to the fund, in (0, 1]. */
            fundShare: number;
            /** @default 0 */
            guaranteedMinor?: number;
            /** @default null */
            capMinor?: number | null;
            /**
             * @default unlockInOrder
             * @enum {string}
             */
            mode?: 'unlockInOrder' | 'proRata' | 'pool';
          };
          prizes: {
            place: number;
            title: string;
            costMinor: number;
            image?: string;
            league?: string;
            /** @description pool mode: percentage of the fund for this place. */
            poolPercent?: number;
          }[];
          criteria: {
            /** @enum {string} */
            metric:
              | 'turnover'
              | 'margin'
              | 'deals'
              | 'newClients'
              | 'avgCheck'
              | 'conversion'
              | 'productTurnover'
              | 'productUnits'
              | 'counter';
            /** @description Product or category, for productTurnover and productUnits only. */
            product?: string;
            /** @description Counter name, for metric counter only. */
            name?: string;
            /** @enum {string} */
            basis: 'absolute' | 'percentOfPlan' | 'growth';
            /** @description avgCheck and conversion: deals needed before the metric scores. */
            minDeals?: number;
            /** @description conversion: leads needed before the metric scores (default 1). */
            minLeads?: number;
            /** @description absolute basis: amount of the metric worth one normalized point. */
            unit?: number;
            /** @default 1 */
            weight?: number;
            /** @description Upper bound of the normalized value. */
            cap?: number;
            /** @description Lower bound of the normalized value. */
            floor?: number;
            title?: string;
          }[];
          /** @default [] */
          eligibility?: {
            /** @enum {string} */
            metric:
              | 'turnover'
              | 'margin'
              | 'deals'
              | 'newClients'
              | 'avgCheck'
              | 'conversion'
              | 'productTurnover'
              | 'productUnits'
              | 'counter';
            /** @description Product or category, for productTurnover and productUnits only. */
            product?: string;
            /** @description Counter name, for metric counter only. */
            name?: string;
            /** @enum {string} */
            basis: 'absolute' | 'percentOfPlan' | 'growth';
            /** @description avgCheck and conversion: deals needed before the metric scores. */
            minDeals?: number;
            /** @description conversion: leads needed before the metric scores (default 1). */
            minLeads?: number;
            /** @description Minimum normalized value (absolute: the raw metric; percentOfPlan: % of plan; growth: % growth). */
            min: number;
          }[];
          leagues?: {
            /**
             * @description tenure: 'newcomer' | 'veteran'; role: 'hunter' | 'farmer'; team: the team name; field: the participant's league.
             * @enum {string}
             */
            by: 'tenure' | 'role' | 'team' | 'field';
            /** @default 6 */
            newcomerMonths?: number;
          };
          /** @default {
           *       "aggregate": "sum"
           *     } */
          teamStandings?: {
            /**
             * @default sum
             * @enum {string}
             */
            aggregate?: 'sum' | 'average';
          };
          participants: {
            id: string;
            name: string;
            team?: string;
            /** @enum {string} */
            role?: 'hunter' | 'farmer';
            /** Format: date */
            hiredOn?: string;
            isNewcomer?: boolean;
            league?: string;
            /** @description Plan for the whole contest period. */
            plan: {
              turnoverMinor: number;
              marginMinor: number;
              deals?: number;
              newClients?: number;
              avgCheckMinor?: number;
              conversion?: number;
              products?: {
                [key: string]: {
                  turnoverMinor?: number;
                  units?: number;
                };
              };
              counters?: {
                [key: string]: number;
              };
            };
            history?: {
              month: string;
              turnoverMinor: number;
              marginMinor: number;
              deals?: number;
              newClients?: number;
              leads?: number;
              products?: {
                [key: string]: {
                  turnoverMinor?: number;
                  units?: number;
                };
              };
              counters?: {
                [key: string]: number;
              };
            }[];
            stats?: {
              turnoverMeanMinor: number;
              turnoverCv?: number;
              marginRate?: number;
              dealsMean?: number;
              newClientsMean?: number;
              leadsMean?: number;
            };
          }[];
          /** @default [] */
          events?: (
            | {
                /** @constant */
                type: 'sale';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                /** @description Turnover of the deal in minor units. */
                amountMinor: number;
                /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                marginMinor: number;
                clientId?: string;
                /** @default false */
                isNewClient?: boolean;
                product?: string;
                /** @default 1 */
                quantity?: number;
              }
            | {
                /** @constant */
                type: 'lead';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                clientId?: string;
              }
            | {
                /** @constant */
                type: 'reversal';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                /** @description externalId (same source) of the event this reversal cancels. */
                reversesExternalId: string;
              }
            | {
                /** @constant */
                type: 'counter';
                /** @description Id of the event in its source; (source, externalId) is unique. */
                externalId: string;
                /** @description The system the event comes from (crm, 1c, manual, …). */
                source: string;
                participantId: string;
                /** Format: date-time */
                occurredAt: string;
                /** @description Counter name, e.g. calls or meetings. */
                name: string;
                value: number;
              }
          )[];
          scenario?: {
            /** @default 0.1 */
            uplift?: number;
            /** @default 0.3 */
            correlation?: number;
            /** @default 10000 */
            trials?: number;
            /** @default 1 */
            seed?: number;
          };
        };
      };
    };
    responses: {
      /** @description The contest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestSummary'];
        };
      };
    };
  };
  ContestsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description Texts and presentation, and the monthly repeat: editable in every state but closed */
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          description?: string;
          graceDays?: number;
          showAmounts?: boolean;
          /** @description Once the period (exactly one calendar month) is over, make the next month a draft */
          repeatMonthly?: boolean;
          prizeTitles?: {
            place: number;
            league?: string;
            title: string;
          }[];
        };
      };
    };
    responses: {
      /** @description The contest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestSummary'];
        };
      };
    };
  };
  ContestsController_rules: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rules as every reader of the contest may see them: criteria, gates, leagues, prizes (and which have a picture), funding, team standings; no plans and no figures */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestRules'];
        };
      };
    };
  };
  ContestsController_file: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The contest file (frozen at launch), without events */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestDefinition'];
        };
      };
    };
  };
  ContestsController_plans: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContestsController_replacePlans: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description `{ "<participant id>": plan }`; draft contests only */
    requestBody: {
      content: {
        'application/json': {
          [key: string]: {
            turnoverMinor: number;
            marginMinor: number;
            deals?: number;
            newClients?: number;
            avgCheckMinor?: number;
            conversion?: number;
            products?: {
              [key: string]: {
                turnoverMinor?: number;
                units?: number;
              };
            };
            counters?: {
              [key: string]: number;
            };
          };
        };
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContestsController_approveScenario: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description The approved simulation scenario and its no-contest baseline */
    requestBody: {
      content: {
        'application/json': {
          scenario: {
            /** @default 0.1 */
            uplift?: number;
            /** @default 0.3 */
            correlation?: number;
            /** @default 10000 */
            trials?: number;
            /** @default 1 */
            seed?: number;
          };
          /** @default null */
          baselineMarginMinor?: number | null;
          /**
           * Format: uuid
           * @description A finished stored simulation of this contest: its verdict is approved
           */
          simulationId?: string;
          /**
           * @description The verdict of a simulation run elsewhere (the browser); required without `simulationId`
           * @enum {string}
           */
          verdict?: 'balanced' | 'unbalanced';
          /** @description The chance that every prize is funded in a run elsewhere (the browser): the live forecast warns staff when it falls below it; a stored run's own is used with `simulationId` */
          pAllPrizesFunded?: number;
        };
      };
    };
    responses: {
      /** @description The contest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestSummary'];
        };
      };
    };
  };
  ContestsController_launch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description No body; or `{ "override": { "reason" } }` to launch past the launch gate (409 `not_simulated` or `unbalanced` without it) */
    requestBody: {
      content: {
        'application/json': {
          /** @description Launch although the contest is not simulated, its rules changed since, or its verdict is unbalanced */
          override?: {
            reason: string;
          };
        };
      };
    };
    responses: {
      /** @description The contest and its new state: `{ id, state }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestTransition'];
        };
      };
    };
  };
  ContestsController_clone: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description A new draft with this contest's rules, prizes, plans and participants */
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          period?: {
            /** @description Inclusive. A date alone means 00:00 UTC. */
            start: string;
            /** @description Exclusive. A date alone means 00:00 UTC. */
            end: string;
          };
        };
      };
    };
    responses: {
      /** @description The new draft: `{ id, state }` */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedContest'];
        };
      };
    };
  };
  ContestsController_unschedule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The contest and its new state: `{ id, state }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestTransition'];
        };
      };
    };
  };
  ContestsController_close: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The contest and its new state: `{ id, state }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestTransition'];
        };
      };
    };
  };
  ContestsController_standings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `seq`, fund, prizes and standings with per-criterion points, eligibility and what it takes */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Standings'];
        };
      };
    };
  };
  ContestsController_feed: {
    parameters: {
      query?: {
        beforeSeq?: number;
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Stored events, newest first, below `beforeSeq` when given */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FeedEvent'][];
        };
      };
    };
  };
  ContestsController_correct: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description Reverse a stored event, or add a sale by hand; recorded as an event with its author */
    requestBody: {
      content: {
        'application/json':
          | {
              /** @constant */
              kind: 'reverse';
              /** @description The stored event (sale, lead, counter) to cancel. */
              eventId: number;
              reason: string;
            }
          | {
              /** @constant */
              kind: 'sale';
              participantId: string;
              /** Format: date-time */
              occurredAt: string;
              amountMinor: number;
              marginMinor: number;
              clientId?: string;
              /** @default false */
              isNewClient?: boolean;
              product?: string;
              /** @default 1 */
              quantity?: number;
              reason: string;
            };
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContestsController_audit: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The audit trail, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditEntry'][];
        };
      };
    };
  };
  ContestsController_checkpoints: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The checkpoints, by number, with their standings as the caller may see them; displays and sellers get the published ones only */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Checkpoint'][];
        };
      };
    };
  };
  ContestsController_publish: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        number: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContestsController_report: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report frozen when the contest closed, and the sales cancelled since (clawbacks) with what each would have changed and its decision */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContestReport'];
        };
      };
    };
  };
  ContestsController_decideClawback: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        clawbackId: number;
      };
      cookie?: never;
    };
    /** @description The director's decision on a sale cancelled after the contest closed: recover the prize money it paid, or waive it */
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          decision: 'recover' | 'waive';
          note: string;
        };
      };
    };
    responses: {
      /** @description The decided clawback */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Clawback'];
        };
      };
    };
  };
  ContestsController_image: {
    parameters: {
      query?: {
        league?: string;
      };
      header?: never;
      path: {
        id: string;
        place: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContestsController_putImage: {
    parameters: {
      query?: {
        league?: string;
      };
      header?: never;
      path: {
        id: string;
        place: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DemoController_entry: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Demo mode only: the demo sign-ins (e-mail, password, role), the demo TV and the demo phone link, absolute; `Cache-Control: no-store` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DemoEntry'];
        };
      };
      /** @description Demo mode is off */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  IntegrationsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every integration, revoked ones too */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Integration'][];
        };
      };
    };
  };
  IntegrationsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Answers the secret once, with the webhook URL the CRM posts to */
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          kind: 'webhook' | 'amocrm' | 'bitrix24' | '1c-odata';
          name: string;
          /** @default {} */
          settings?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The integration with its `secret`, shown this once */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedIntegration'];
        };
      };
    };
  };
  IntegrationsController_alerts: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description CRM integrations whose last three pull syncs or more failed in a row */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SyncAlert'][];
        };
      };
    };
  };
  IntegrationsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One integration, with its pull sync (CRM kinds) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Integration'];
        };
      };
    };
  };
  IntegrationsController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  IntegrationsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description A new name and/or the whole settings (checked per kind); credentials left out are kept (Bitrix24's, amoCRM's token, 1C's password) */
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          settings?: {
            [key: string]: unknown;
          };
        };
      };
    };
    responses: {
      /** @description The changed integration */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Integration'];
        };
      };
    };
  };
  IntegrationsController_sync: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Pulls what changed in the CRM now and answers the outcome; 409 `{ code: "sync_running" | "revoked" | "kind" }` (a kind without a sync) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SyncRun'];
        };
      };
    };
  };
  IntegrationsController_held: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deals held back and CRM reads that failed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Held'];
        };
      };
    };
  };
  IntegrationsController_reconcile: {
    parameters: {
      query: {
        contestId: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Won deals the CRM reported for the contest's period against the sales the contest counts from this integration, and every difference with its reason */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Reconciliation'];
        };
      };
    };
  };
  IntegrationsController_mappings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ "<CRM user id>": "<participant id>" }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Mappings'];
        };
      };
    };
  };
  IntegrationsController_replaceMappings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description `{ "<CRM user id>": "<participant id>" }`, replacing the whole mapping */
    requestBody: {
      content: {
        'application/json': {
          [key: string]: string;
        };
      };
    };
    responses: {
      /** @description The stored mapping */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Mappings'];
        };
      };
    };
  };
  IntegrationsController_crmUsers: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The CRM users to map, read from the CRM (1C: Catalog_Пользователи); 409 `{ code: "kind" }` for a kind that lists none, 502 when the CRM cannot be read */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CrmUser'][];
        };
      };
    };
  };
  IntegrationsController_receive: {
    parameters: {
      query?: never;
      header: {
        /** @description sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> */
        'x-podium-signature': string;
        /** @description Unix seconds; refused when more than 5 minutes away */
        'x-podium-timestamp': string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description The body of POST /api/events, signed; participantId may be a mapped CRM user id */
    requestBody: {
      content: {
        'application/json':
          | (
              | {
                  /** @constant */
                  type: 'sale';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Turnover of the deal in minor units. */
                  amountMinor: number;
                  /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                  marginMinor: number;
                  clientId?: string;
                  /** @default false */
                  isNewClient?: boolean;
                  product?: string;
                  /** @default 1 */
                  quantity?: number;
                }
              | {
                  /** @constant */
                  type: 'lead';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  clientId?: string;
                }
              | {
                  /** @constant */
                  type: 'reversal';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description externalId (same source) of the event this reversal cancels. */
                  reversesExternalId: string;
                }
              | {
                  /** @constant */
                  type: 'counter';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Counter name, e.g. calls or meetings. */
                  name: string;
                  value: number;
                }
            )
          | (
              | {
                  /** @constant */
                  type: 'sale';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Turnover of the deal in minor units. */
                  amountMinor: number;
                  /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                  marginMinor: number;
                  clientId?: string;
                  /** @default false */
                  isNewClient?: boolean;
                  product?: string;
                  /** @default 1 */
                  quantity?: number;
                }
              | {
                  /** @constant */
                  type: 'lead';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  clientId?: string;
                }
              | {
                  /** @constant */
                  type: 'reversal';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description externalId (same source) of the event this reversal cancels. */
                  reversesExternalId: string;
                }
              | {
                  /** @constant */
                  type: 'counter';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Counter name, e.g. calls or meetings. */
                  name: string;
                  value: number;
                }
            )[];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  IntegrationsController_amocrm: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        secret: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ leads }`: the leads of `leads[status|add|update|delete][i][…]` applied (README: Connecting a CRM) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  IntegrationsController_bitrix24: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        secret: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ queued, dealId }` once the deal read is stored; `auth[application_token]` must match (else 401) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description `{ token, expiresAt, user: { id, email, role, participantId } }`; send the token as `Authorization: Bearer <token>` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Login'];
        };
      };
      /** @description Wrong e-mail or password (the same answer for both) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Too many failed logins; see `Retry-After` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session token no longer works */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Who the token belongs to: `{ kind: "user", expiresAt, user }`, `{ kind: "display", display: { id, name, contestIds, language, slides, slideSeconds, sound } }` (how the TV shows its contests) or `{ kind: "apiKey", apiKey: { id, name, scopes } }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Me'];
        };
      };
    };
  };
  SimulationsController_list: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SimulationsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A contest file or a stored contest id, scenario overrides, remedies (default true) */
    requestBody: {
      content: {
        'application/json': {
          file?: {
            $schema?: string;
            name: string;
            description?: string;
            /** @default RUB */
            currency?: string;
            period: {
              /** @description Inclusive. A date alone means 00:00 UTC. */
              start: string;
              /** @description Exclusive. A date alone means 00:00 UTC. */
              end: string;
            };
            funding: {
              /** @description Share of the above-plan margin that goes to the fund, in (0, 1]. */
              fundShare: number;
              /** @default 0 */
              guaranteedMinor?: number;
              /** @default null */
              capMinor?: number | null;
              /**
               * @default unlockInOrder
               * @enum {string}
               */
              mode?: 'unlockInOrder' | 'proRata' | 'pool';
            };
            prizes: {
              place: number;
              title: string;
              costMinor: number;
              image?: string;
              league?: string;
              /** @description pool mode: percentage of the fund for this place. */
              poolPercent?: number;
            }[];
            criteria: {
              /** @enum {string} */
              metric:
                | 'turnover'
                | 'margin'
                | 'deals'
                | 'newClients'
                | 'avgCheck'
                | 'conversion'
                | 'productTurnover'
                | 'productUnits'
                | 'counter';
              /** @description Product or category, for productTurnover and productUnits only. */
              product?: string;
              /** @description Counter name, for metric counter only. */
              name?: string;
              /** @enum {string} */
              basis: 'absolute' | 'percentOfPlan' | 'growth';
              /** @description avgCheck and conversion: deals needed before the metric scores. */
              minDeals?: number;
              /** @description conversion: leads needed before the metric scores (default 1). */
              minLeads?: number;
              /** @description absolute basis: amount of the metric worth one normalized point. */
              unit?: number;
              /** @default 1 */
              weight?: number;
              /** @description Upper bound of the normalized value. */
              cap?: number;
              /** @description Lower bound of the normalized value. */
              floor?: number;
              title?: string;
            }[];
            /** @default [] */
            eligibility?: {
              /** @enum {string} */
              metric:
                | 'turnover'
                | 'margin'
                | 'deals'
                | 'newClients'
                | 'avgCheck'
                | 'conversion'
                | 'productTurnover'
                | 'productUnits'
                | 'counter';
              /** @description Product or category, for productTurnover and productUnits only. */
              product?: string;
              /** @description Counter name, for metric counter only. */
              name?: string;
              /** @enum {string} */
              basis: 'absolute' | 'percentOfPlan' | 'growth';
              /** @description avgCheck and conversion: deals needed before the metric scores. */
              minDeals?: number;
              /** @description conversion: leads needed before the metric scores (default 1). */
              minLeads?: number;
              /** @description Minimum normalized value (absolute: the raw metric; percentOfPlan: % of plan; growth: % growth). */
              min: number;
            }[];
            leagues?: {
              /**
               * @description tenure: 'newcomer' | 'veteran'; role: 'hunter' | 'farmer'; team: the team name; field: the participant's league.
               * @enum {string}
               */
              by: 'tenure' | 'role' | 'team' | 'field';
              /** @default 6 */
              newcomerMonths?: number;
            };
            /** @default {
             *       "aggregate": "sum"
             *     } */
            teamStandings?: {
              /**
               * @default sum
               * @enum {string}
               */
              aggregate?: 'sum' | 'average';
            };
            participants: {
              id: string;
              name: string;
              team?: string;
              /** @enum {string} */
              role?: 'hunter' | 'farmer';
              /** Format: date */
              hiredOn?: string;
              isNewcomer?: boolean;
              league?: string;
              /** @description Plan for the whole contest period. */
              plan: {
                turnoverMinor: number;
                marginMinor: number;
                deals?: number;
                newClients?: number;
                avgCheckMinor?: number;
                conversion?: number;
                products?: {
                  [key: string]: {
                    turnoverMinor?: number;
                    units?: number;
                  };
                };
                counters?: {
                  [key: string]: number;
                };
              };
              history?: {
                month: string;
                turnoverMinor: number;
                marginMinor: number;
                deals?: number;
                newClients?: number;
                leads?: number;
                products?: {
                  [key: string]: {
                    turnoverMinor?: number;
                    units?: number;
                  };
                };
                counters?: {
                  [key: string]: number;
                };
              }[];
              stats?: {
                turnoverMeanMinor: number;
                turnoverCv?: number;
                marginRate?: number;
                dealsMean?: number;
                newClientsMean?: number;
                leadsMean?: number;
              };
            }[];
            /** @default [] */
            events?: (
              | {
                  /** @constant */
                  type: 'sale';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Turnover of the deal in minor units. */
                  amountMinor: number;
                  /** @description Margin (gross profit) of the deal in minor units: at most amountMinor; negative for a loss-making deal. */
                  marginMinor: number;
                  clientId?: string;
                  /** @default false */
                  isNewClient?: boolean;
                  product?: string;
                  /** @default 1 */
                  quantity?: number;
                }
              | {
                  /** @constant */
                  type: 'lead';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  clientId?: string;
                }
              | {
                  /** @constant */
                  type: 'reversal';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description externalId (same source) of the event this reversal cancels. */
                  reversesExternalId: string;
                }
              | {
                  /** @constant */
                  type: 'counter';
                  /** @description Id of the event in its source; (source, externalId) is unique. */
                  externalId: string;
                  /** @description The system the event comes from (crm, 1c, manual, …). */
                  source: string;
                  participantId: string;
                  /** Format: date-time */
                  occurredAt: string;
                  /** @description Counter name, e.g. calls or meetings. */
                  name: string;
                  value: number;
                }
            )[];
            scenario?: {
              /** @default 0.1 */
              uplift?: number;
              /** @default 0.3 */
              correlation?: number;
              /** @default 10000 */
              trials?: number;
              /** @default 1 */
              seed?: number;
            };
          };
          /** Format: uuid */
          contestId?: string;
          scenario?: {
            uplift?: number;
            correlation?: number;
            trials?: number;
            seed?: number;
          };
          remedies?: boolean;
        };
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SimulationsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SimulationsController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ForecastsController_forecast: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The latest live forecast of the final outcome (computed on the spot when none is kept yet), for whoever reads the standings; 409 `not_live` before the contest counts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Forecast'];
        };
      };
    };
  };
  ForecastsController_history: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One forecast per day (the day's latest) and one per published checkpoint, oldest first; a seller's points hold their own chances only, a display's none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ForecastHistory'];
        };
      };
    };
  };
  ImportsController_sheet: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Reads a CSV or XLSX (first sheet) and answers its cells as text, writing nothing: `{ header, rows: [{ row, cells }] }` (the simulator checks its own files with it) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SheetText'];
        };
      };
    };
  };
  ImportsController_run: {
    parameters: {
      query?: {
        dryRun?: '0' | '1' | 'true' | 'false';
      };
      header?: never;
      path: {
        kind: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The body is the file itself. `{ kind, dryRun, rows, valid, issues: [{ row, column, code, reason }], created, updated }`; with issues and no dryRun: 400 with the same body and nothing written */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportReport'];
        };
      };
    };
  };
  ImportsController_template: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `participants.csv`, `deals.xlsx`, …: header and an example row */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_standings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        format: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The standings as GET /api/contests/:id/standings. A download (`Content-Disposition: attachment`): CSV (UTF-8 with a BOM, the first table) or XLSX (one sheet per table); money in major units with two decimals, columns named with the currency (`fund_rub`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_checkpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        number: number;
        format: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One checkpoint's standings. A download (`Content-Disposition: attachment`): CSV (UTF-8 with a BOM, the first table) or XLSX (one sheet per table); money in major units with two decimals, columns named with the currency (`fund_rub`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_report: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        format: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The final report with prizes and final standings. A download (`Content-Disposition: attachment`): CSV (UTF-8 with a BOM, the first table) or XLSX (one sheet per table); money in major units with two decimals, columns named with the currency (`fund_rub`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_simulationResult: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        format: string;
      };
      cookie?: never;
    };
    /** @description A simulation result as the simulator computed it. */
    requestBody: {
      content: {
        'application/json': {
          name: string;
          currency: string;
          trials: number;
          planMarginMinor: number;
          planTurnoverMinor: number;
          prizesCostMinor: number;
          fund: {
            meanMinor: number;
            p10Minor: number;
            p50Minor: number;
            p90Minor: number;
          };
          pAllPrizesFunded: number;
          breakEvenUplift: number | null;
          fairness: {
            /** @enum {string} */
            verdict: 'balanced' | 'unbalanced';
            effectiveContenders: number;
            newcomerPrizeShare: number;
            maxPFirst: number;
          };
          prizes: {
            place: number;
            league: string | null;
            title: string;
            costMinor: number;
            pUnlocked: number;
            pPaid: number;
          }[];
          participants: {
            participantId: string;
            name: string;
            team: string | null;
            league: string | null;
            isNewcomer: boolean;
            pFirst: number;
            pPrize: number;
            pPaid: number;
            expectedRank: number;
            turnoverMeanMinor: number;
          }[];
        };
      };
    };
    responses: {
      /** @description The same tables as a stored simulation's result. A download (`Content-Disposition: attachment`): CSV (UTF-8 with a BOM, the first table) or XLSX (one sheet per table); money in major units with two decimals, columns named with the currency (`fund_rub`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportsController_simulation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        format: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A finished simulation's forecast per participant. A download (`Content-Disposition: attachment`): CSV (UTF-8 with a BOM, the first table) or XLSX (one sheet per table); money in major units with two decimals, columns named with the currency (`fund_rub`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_participantLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ url, code, expiresAt }`: open `url` in Telegram (or send `/start <code>` to the bot) within 24 hours, once */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ParticipantTelegramLink'];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The bot is off (`telegram_off`): TELEGRAM_BOT_TOKEN is not set, or getMe failed */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_unlinkParticipant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Unlinked: the participant's chats get nothing more */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No chat is linked to the participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_groupLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              team: string;
            }
          | {
              /** @constant */
              company: true;
            };
      };
    };
    responses: {
      /** @description `{ code, command, expiresAt }`: send `command` in the group (the bot must be a member) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GroupTelegramLink'];
        };
      };
      /** @description No such team */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The bot is off (`telegram_off`): TELEGRAM_BOT_TOKEN is not set, or getMe failed */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_groups: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Linked group chats */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TelegramGroup'][];
        };
      };
    };
  };
  NotificationsController_unlinkChat: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        chatId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Unlinked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such linked chat */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_webhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Telegram's update, handled */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_recent: {
    parameters: {
      query?: {
        state?: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
        channel?: 'telegram' | 'email';
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Recent messages, newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Notification'][];
        };
      };
    };
  };
  NotificationsController_retry: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued again */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Notification'];
        };
      };
      /** @description No failed or skipped message with this id */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_participantSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ language, switches }`: the language of the messages and every kind, on or off */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationSettings'];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_updateParticipantSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          language?: 'ru' | 'en';
          /** @description `{ "<kind>": false }` switches a kind off, `true` on again; absent kinds stay as they are */
          switches?: {
            [key: string]: boolean;
          };
        };
      };
    };
    responses: {
      /** @description The settings now */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationSettings'];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  NotificationsController_updateChatSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        chatId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description `{ "<kind>": false }` switches a kind off, `true` on again; absent kinds stay as they are */
          switches: {
            [key: string]: boolean;
          };
        };
      };
    };
    responses: {
      /** @description The settings now */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NotificationSettings'];
        };
      };
      /** @description No such linked chat */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UnsubscribeController_ask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page asking to confirm (HTML); 404 for a link not genuine */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UnsubscribeController_confirm: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Switches this kind of e-mail off for the address (the page’s button, or a one-click POST per RFC 8058); answers a page saying so */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every user, by e-mail: `{ id, email, role, participantId, createdAt, updatedAt }`[] */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'][];
        };
      };
    };
  };
  UsersController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
          /** @enum {string} */
          role: 'admin' | 'director' | 'manager' | 'seller';
          participantId?: string | null;
        };
      };
    };
    responses: {
      /** @description `{ id, email, role, participantId, createdAt, updatedAt }` */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      /** @description A bad field; a seller without a participant */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The e-mail or the participant is taken */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted, with their sessions */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such user */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The last admin cannot be deleted */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsersController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email?: string;
          password?: string;
          /** @enum {string} */
          role?: 'admin' | 'director' | 'manager' | 'seller';
          participantId?: string | null;
        };
      };
    };
    responses: {
      /** @description The changed user: `{ id, email, role, participantId, createdAt, updatedAt }`; a new password signs them out */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['User'];
        };
      };
      /** @description No such user */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The e-mail or participant is taken; the last admin */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DisplaysController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Displays not revoked: `{ id, name, contestIds, createdAt, language, slides, slideSeconds, sound }`[] */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Display'][];
        };
      };
    };
  };
  DisplaysController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /**
           * @description The contests the display shows, in the order it rotates through them.
           * @default []
           */
          contestIds?: string[];
          /**
           * @description The language of the TV, whatever its browser prefers.
           * @default ru
           * @enum {string}
           */
          language?: 'ru' | 'en';
          /**
           * @description The slides shown for each contest, in this order.
           * @default [
           *       "leaderboard",
           *       "prizes",
           *       "deals"
           *     ]
           */
          slides?: (
            | 'leaderboard'
            | 'prizes'
            | 'contenders'
            | 'results'
            | 'teams'
            | 'newcomers'
            | 'rules'
            | 'deals'
          )[];
          /**
           * @description How long each slide stays on the screen.
           * @default 20
           */
          slideSeconds?: number;
          /**
           * @description A short sound on each celebrated deal.
           * @default false
           */
          sound?: boolean;
        };
      };
    };
    responses: {
      /** @description `{ id, name, contestIds, createdAt, language, slides, slideSeconds, sound }`, `token` (shown this once) and `url`, the TV link on PODIUM_PUBLIC_URL */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedDisplay'];
        };
      };
      /** @description A bad field; a contest id that names no contest */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DisplaysController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked: the token stops working at once */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such display (or already revoked) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DisplaysController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          /**
           * @description The language of the TV, whatever its browser prefers.
           * @enum {string}
           */
          language?: 'ru' | 'en';
          /** @description The slides shown for each contest, in this order. */
          slides?: (
            | 'leaderboard'
            | 'prizes'
            | 'contenders'
            | 'results'
            | 'teams'
            | 'newcomers'
            | 'rules'
            | 'deals'
          )[];
          /** @description How long each slide stays on the screen. */
          slideSeconds?: number;
          /** @description A short sound on each celebrated deal. */
          sound?: boolean;
        };
      };
    };
    responses: {
      /** @description The display with the given fields changed; an open TV follows at once: `{ id, name, contestIds, createdAt, language, slides, slideSeconds, sound }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Display'];
        };
      };
      /** @description A bad field, named with its rule */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such display (or revoked) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DisplaysController_reissueToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ id, name, contestIds, createdAt, language, slides, slideSeconds, sound }`, the new `token` (shown this once) and `url`; the old token stops working at once */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedDisplay'];
        };
      };
      /** @description No such display (or revoked) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DisplaysController_setContests: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description The contests the display shows, in the order it rotates through them. */
          contestIds: string[];
        };
      };
    };
    responses: {
      /** @description The display with exactly these contests: `{ id, name, contestIds, createdAt, language, slides, slideSeconds, sound }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Display'];
        };
      };
      /** @description No such display (or revoked) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ApiKeysController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Keys not revoked, newest first, without secrets: `{ id, name, keyPrefix, scopes, createdAt, lastUsedAt }`[] */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'][];
        };
      };
    };
  };
  ApiKeysController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description What the key may do: events:write. */
          scopes: 'events:write'[];
        };
      };
    };
    responses: {
      /** @description `{ id, name, keyPrefix, scopes, createdAt, lastUsedAt }` and `key`, shown this once */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKey'];
        };
      };
    };
  };
  ApiKeysController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked: the key stops working at once */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such key (or already revoked) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PersonalLinksController_status: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ participantId, active, createdAt, lastUsedAt }` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PersonalLinkStatus'];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PersonalLinksController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{ participantId, token, path, url, createdAt }`: a new link (`url` on PODIUM_PUBLIC_URL), shown this once; the previous one stops working */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedPersonalLink'];
        };
      };
      /** @description No such participant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PersonalLinksController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked: the link stops working at once */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The participant has no live link */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PersonalLinksController_open: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
        };
      };
    };
    responses: {
      /** @description `{ participantId, name }`: whose link it is */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenedPersonalLink'];
        };
      };
      /** @description Unknown or revoked link */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Too many tries from this address */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
