import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';

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
  const o = grantOptions<TaskRouterGrantOptions>(options, 'taskRouter', {
    known: ['workspaceSid', 'workerSid', 'role'],
    required: true,
  });
  const code = 'ERR_INVALID_GRANT';
  const payload: { workspace_sid: string; worker_sid: string; role?: string } = {
    workspace_sid: assertSid(o.workspaceSid, {
      code,
      path: 'grants.taskRouter.workspaceSid',
      prefix: 'WS',
      label: 'a TaskRouter Workspace SID',
    }),
    worker_sid: assertSid(o.workerSid, {
      code,
      path: 'grants.taskRouter.workerSid',
      prefix: 'WK',
      label: 'a TaskRouter Worker SID',
    }),
  };
  if (o.role !== undefined) payload.role = assertString(o.role, 'grants.taskRouter.role', code);
  return makeGrant('taskRouter', payload);
}
