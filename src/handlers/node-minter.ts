import { createDetailedMinter } from '../create-access-token.js';
import type { MinterFactory } from './core.js';

/** The node:crypto signing backend shared by the Express, Lambda and Twilio Functions adapters. */
export const nodeMinterFactory: MinterFactory = ({ credentials, ttl, region }) =>
  createDetailedMinter(region === undefined ? { credentials, ttl } : { credentials, ttl, region });
