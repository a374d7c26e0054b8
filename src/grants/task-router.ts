import { buildGrant } from './build.js';
import type { GrantOf } from './grant.js';
import type { CliOf, GrantTooling, ResourcesOf, SpecOf } from './spec.js';

/** Options of {@link taskRouterGrant}. */
export interface TaskRouterGrantOptions {
  /** The TaskRouter Workspace SID, `WS...`. Required. */
  workspaceSid: string;
  /** The Worker SID, `WK...`. Required. */
  workerSid: string;
  /** The worker's role, such as `'worker'` or `'supervisor'`. */
  role?: string;
}

/** The wire payload of a TaskRouter grant (the token's `grants.task_router`). */
export interface TaskRouterGrantPayload {
  /** The Workspace SID. */
  readonly workspace_sid: string;
  /** The Worker SID. */
  readonly worker_sid: string;
  /** The role. */
  readonly role?: string;
}

/** A validated TaskRouter grant, made by {@link taskRouterGrant}. */
export type TaskRouterGrant = GrantOf<'taskRouter', 'task_router', TaskRouterGrantPayload>;

/** TaskRouter's factory table: its options and wire fields. */
export const TASK_ROUTER = {
  product: 'taskRouter',
  key: 'task_router',
  optional: false,
  fields: [
    {
      option: 'workspaceSid',
      wire: 'workspace_sid',
      kind: 'sid',
      prefix: 'WS',
      label: 'a TaskRouter Workspace SID',
      required: true,
    },
    {
      option: 'workerSid',
      wire: 'worker_sid',
      kind: 'sid',
      prefix: 'WK',
      label: 'a TaskRouter Worker SID',
      required: true,
    },
    { option: 'role', wire: 'role', kind: 'string' },
  ],
} as const satisfies SpecOf<'taskRouter', TaskRouterGrantOptions>;

/** TaskRouter's tooling: its name, Regions and twilio-node class (products.ts joins it to TASK_ROUTER). */
export const TASK_ROUTER_TOOLING = {
  name: 'TaskRouter',
  // IE1 serves TaskRouter in beta.
  regions: ['us1', 'ie1'],
  twilio: 'TaskRouterGrant',
} as const satisfies GrantTooling;

/** TaskRouter's CLI command and flags (products.ts joins them for the CLI). */
export const TASK_ROUTER_CLI = {
  command: 'taskrouter',
  flags: {
    workspaceSid: { flag: 'workspace-sid' },
    workerSid: { flag: 'worker-sid' },
    role: { flag: 'role' },
  },
} as const satisfies CliOf<TaskRouterGrantOptions>;

/** Where Twilio serves each SID of a TaskRouter grant (read by `twilio-access-token/probe`, not by the factory). */
export const TASK_ROUTER_RESOURCES = {
  workspaceSid: { host: 'taskrouter', path: '/v1/Workspaces/{sid}', name: 'TaskRouter Workspace' },
  workerSid: { host: 'taskrouter', path: '/v1/Workspaces/{workspace_sid}/Workers/{sid}', name: 'TaskRouter Worker' },
} as const satisfies ResourcesOf<typeof TASK_ROUTER>;

/**
 * Creates a TaskRouter grant for one worker in one workspace.
 *
 * @param options - The workspace and worker SIDs (required) and an optional role.
 * @returns A frozen grant for {@link createAccessToken}.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when a SID is missing or malformed, `role` is
 *   not a non-empty string, or an option is unknown.
 *
 * @example
 * ```ts
 * import { createAccessToken, taskRouterGrant } from 'twilio-access-token';
 *
 * const token = createAccessToken(
 *   'alice',
 *   taskRouterGrant({ workspaceSid: 'WS' + '0'.repeat(32), workerSid: 'WK' + '0'.repeat(32), role: 'worker' }),
 * );
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function taskRouterGrant(options: TaskRouterGrantOptions): TaskRouterGrant {
  return buildGrant<TaskRouterGrant>(TASK_ROUTER, options);
}
