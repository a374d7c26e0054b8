// What every handler entry point exports besides its factory (API.md section 6).
export {
  type CorsOptions,
  type GrantsResult,
  type TokenHandlerOptions,
  type TokenRequest,
  trustClientIdentity,
} from './core.js';
