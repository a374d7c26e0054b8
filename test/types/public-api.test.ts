import type { Request as ExpressRequest } from 'express';
import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  createTokenProvider,
  type TOKEN_FETCH_ERRORS,
  type TokenFetchError,
  type TokenFetchErrorCode,
  type TokenProvider,
} from '../../src/client.js';
import * as fetchEntry from '../../src/handlers/fetch/index.js';
import { createFetchHandler } from '../../src/handlers/fetch/index.js';
import * as lambdaEntry from '../../src/handlers/lambda/index.js';
import { createLambdaHandler } from '../../src/handlers/lambda/index.js';
import * as expressEntry from '../../src/handlers/node-http/index.js';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import * as functionsEntry from '../../src/handlers/twilio-functions/index.js';
import { createTwilioFunction } from '../../src/handlers/twilio-functions/index.js';
import {
  type ACCESS_TOKEN_ERRORS,
  type AccessTokenErrorCode,
  type AccessTokenHeader,
  type AccessTokenPayload,
  createAccessToken,
  createTokenMinter,
  type Diagnosis,
  decodeAccessToken,
  diagnoseAccessToken,
  type FINDINGS,
  type FindingCode,
  type Grant,
  isAccessTokenError,
  syncGrant,
  type VideoGrant,
  verifyAccessToken,
  videoGrant,
} from '../../src/index.js';
import * as web from '../../src/web.js';

// The public types, pinned: checked by `tsc` (npm run typecheck), run as no-ops by vitest.

describe('public types', () => {
  test('minting: a string from the main entry, a Promise from /web', () => {
    expectTypeOf(createAccessToken).returns.toEqualTypeOf<string>();
    expectTypeOf(web.createAccessToken).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(createTokenMinter).returns.returns.toEqualTypeOf<string>();
    expectTypeOf(createAccessToken).parameter(1).toEqualTypeOf<Grant | readonly Grant[]>();
  });

  test('grants are typed by product, with their wire key', () => {
    expectTypeOf(videoGrant()).toEqualTypeOf<VideoGrant>();
    expectTypeOf(videoGrant().key).toEqualTypeOf<'video'>();
    expectTypeOf(syncGrant().key).toEqualTypeOf<'data_sync'>();
    expectTypeOf(syncGrant().payload.service_sid).toEqualTypeOf<string | undefined>();
    // Never called: these only have to fail to compile.
    expectTypeOf(() => {
      // @ts-expect-error: an unknown option is a type error too
      videoGrant({ roomName: 'x' });
      // @ts-expect-error: incomingAllow is a boolean, not "true"
      web.voiceGrant({ incomingAllow: 'true' });
    }).toBeFunction();
  });

  test('decode and verify type only what they check', () => {
    expectTypeOf(decodeAccessToken).returns.toEqualTypeOf<{
      readonly header: AccessTokenHeader;
      readonly payload: AccessTokenPayload;
    }>();
    expectTypeOf<AccessTokenPayload['exp']>().toEqualTypeOf<number>();
    // Every claim Twilio requires is checked by decode, so it is typed as present.
    expectTypeOf<AccessTokenPayload['iat']>().toEqualTypeOf<number>();
    expectTypeOf<AccessTokenPayload['iss']>().toEqualTypeOf<string>();
    expectTypeOf<AccessTokenPayload['sub']>().toEqualTypeOf<string>();
    expectTypeOf<AccessTokenPayload['jti']>().toEqualTypeOf<string>();
    expectTypeOf<AccessTokenPayload['nbf']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AccessTokenHeader['alg']>().toEqualTypeOf<string>();
    expectTypeOf<AccessTokenHeader['typ']>().toEqualTypeOf<string>();
    expectTypeOf<AccessTokenHeader['cty']>().toEqualTypeOf<string>();
    expectTypeOf<AccessTokenPayload['grants']['identity']>().toEqualTypeOf<string | undefined>();
    // Checked per product: a room is a string when present; a grant key nobody checked is unknown.
    expectTypeOf<NonNullable<AccessTokenPayload['grants']['video']>['room']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AccessTokenPayload['grants']['someOtherProduct']>().toEqualTypeOf<unknown>();
    expectTypeOf(verifyAccessToken).returns.toEqualTypeOf<AccessTokenPayload>();
    expectTypeOf(web.verifyAccessToken).returns.toEqualTypeOf<Promise<AccessTokenPayload>>();
  });

  test('diagnose: sync in the main entry, a Promise in /web', () => {
    expectTypeOf(diagnoseAccessToken).returns.toEqualTypeOf<Diagnosis>();
    expectTypeOf(web.diagnoseAccessToken).returns.toEqualTypeOf<Promise<Diagnosis>>();
    expectTypeOf<Diagnosis['findings'][number]['severity']>().toEqualTypeOf<'error' | 'warning'>();
  });

  test('errors narrow by guard, codes are a closed union', () => {
    const error: unknown = undefined;
    if (isAccessTokenError(error)) expectTypeOf(error.code).toEqualTypeOf<AccessTokenErrorCode>();
    expectTypeOf<'ERR_NOPE'>().not.toExtend<AccessTokenErrorCode>();
  });

  test('each handler passes its platform objects to the hooks', () => {
    createExpressHandler<ExpressRequest & { user?: { id: string } }>({
      identify: ({ platform }) => {
        expectTypeOf(platform.req.user).toEqualTypeOf<({ id: string } & unknown) | undefined>();
        return platform.req.user?.id;
      },
      grants: videoGrant(),
    });
    createFetchHandler({
      identify: ({ platform }) => {
        expectTypeOf(platform.request).toEqualTypeOf<Request>();
        return platform.env?.USER ?? null;
      },
      grants: videoGrant(),
    });
    createLambdaHandler({
      identify: ({ platform }) => {
        const sub = platform.event.requestContext?.authorizer?.jwt?.claims?.sub;
        expectTypeOf(sub).toEqualTypeOf<string | number | boolean | readonly string[] | undefined>();
        return typeof sub === 'string' ? sub : null;
      },
      grants: videoGrant(),
    });
    createTwilioFunction({
      identify: ({ platform }) => (typeof platform.context.PASSCODE === 'string' ? 'a' : false),
      grants: videoGrant(),
      credentials: ({ platform }) => ({
        accountSid: String(platform.context.ACCOUNT_SID),
        apiKeySid: String(platform.context.API_KEY),
        apiKeySecret: String(platform.context.API_SECRET),
      }),
    });
  });

  test('the client provider', () => {
    expectTypeOf(createTokenProvider({ url: '/token' })).toEqualTypeOf<TokenProvider>();
    expectTypeOf<TokenProvider['getToken']>().returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf<TokenProvider['attach']>().parameter(0).toEqualTypeOf<{ updateToken(token: string): unknown }>();
  });

  test('error vocabularies: unions built from their exported tables', () => {
    expectTypeOf<AccessTokenErrorCode>().toEqualTypeOf<
      | 'ERR_MISSING_CREDENTIALS'
      | 'ERR_INVALID_CREDENTIALS'
      | 'ERR_INVALID_IDENTITY'
      | 'ERR_INVALID_GRANT'
      | 'ERR_NO_GRANTS'
      | 'ERR_DUPLICATE_GRANT'
      | 'ERR_INVALID_OPTION'
      | 'ERR_MALFORMED_TOKEN'
      | 'ERR_UNSUPPORTED_ALGORITHM'
      | 'ERR_INVALID_SIGNATURE'
      | 'ERR_TOKEN_EXPIRED'
      | 'ERR_TOKEN_NOT_YET_VALID'
      | 'ERR_UNKNOWN_KEY'
      | 'ERR_KEY_RETIRED'
      | 'ERR_TOKEN_TOO_LONG'
      | 'ERR_UNSUPPORTED_RUNTIME'
    >();
    expectTypeOf<keyof typeof ACCESS_TOKEN_ERRORS>().toEqualTypeOf<AccessTokenErrorCode>();
    expectTypeOf<web.AccessTokenErrorCode>().toEqualTypeOf<AccessTokenErrorCode>();
    expectTypeOf<keyof typeof FINDINGS>().toEqualTypeOf<FindingCode>();
    expectTypeOf<web.FindingCode>().toEqualTypeOf<FindingCode>();
    expectTypeOf<Diagnosis['findings'][number]['code']>().toEqualTypeOf<FindingCode>();
    // The renamed finding codes are gone; the shared facts carry the error's words.
    expectTypeOf<'TOKEN_MALFORMED'>().not.toExtend<FindingCode>();
    expectTypeOf<'SIGNATURE_MISMATCH'>().not.toExtend<FindingCode>();
    expectTypeOf<'MALFORMED_TOKEN' | 'UNSUPPORTED_ALGORITHM' | 'INVALID_SIGNATURE'>().toExtend<FindingCode>();
    expectTypeOf<'INVALID_IDENTITY' | 'INVALID_GRANT' | 'NO_GRANTS' | 'TOKEN_EXPIRED'>().toExtend<FindingCode>();
  });

  test('every handler entry exports the HTTP error codes, one union', () => {
    type Http =
      | 'ERR_BAD_REQUEST'
      | 'ERR_INVALID_IDENTITY'
      | 'ERR_INVALID_GRANT'
      | 'ERR_NO_GRANTS'
      | 'ERR_DUPLICATE_GRANT'
      | 'ERR_INVALID_REQUEST'
      | 'ERR_UNAUTHORIZED'
      | 'ERR_METHOD_NOT_ALLOWED'
      | 'ERR_REQUEST_TIMEOUT'
      | 'ERR_PAYLOAD_TOO_LARGE'
      | 'ERR_RATE_LIMITED'
      | 'ERR_INTERNAL';
    expectTypeOf<fetchEntry.HttpErrorCode>().toEqualTypeOf<Http>();
    expectTypeOf<expressEntry.HttpErrorCode>().toEqualTypeOf<Http>();
    expectTypeOf<lambdaEntry.HttpErrorCode>().toEqualTypeOf<Http>();
    expectTypeOf<functionsEntry.HttpErrorCode>().toEqualTypeOf<Http>();
    expectTypeOf<keyof typeof fetchEntry.HTTP_ERRORS>().toEqualTypeOf<Http>();
    expectTypeOf(fetchEntry.HTTP_ERRORS.ERR_PAYLOAD_TOO_LARGE).toEqualTypeOf<413>();
    expectTypeOf(fetchEntry.HTTP_ERRORS.ERR_RATE_LIMITED).toEqualTypeOf<429>();
    expectTypeOf(expressEntry.HTTP_ERRORS).toEqualTypeOf(lambdaEntry.HTTP_ERRORS);
    expectTypeOf(functionsEntry.HTTP_ERRORS).toEqualTypeOf(fetchEntry.HTTP_ERRORS);
  });

  test('every handler entry exports pushCredentialFor and pushCredentials, taking any TokenRequest', () => {
    for (const entry of [fetchEntry, expressEntry, lambdaEntry, functionsEntry]) {
      expectTypeOf(entry.pushCredentialFor).returns.toEqualTypeOf<string>();
      expectTypeOf(entry.pushCredentials).returns.toEqualTypeOf<fetchEntry.PushCredentials>();
    }
    expectTypeOf<expressEntry.TokenRequest>().toExtend<Parameters<typeof expressEntry.pushCredentialFor>[0]>();
    expectTypeOf<fetchEntry.PushCredentialMap>().toEqualTypeOf<lambdaEntry.PushCredentialMap>();
    // @ts-expect-error: an unknown platform key
    expect(() => fetchEntry.pushCredentials({ IOS: 'CR00000000000000000000000000000000' })).toThrow();
  });

  test('/client: a failed fetch carries a code from its table', () => {
    expectTypeOf<TokenFetchErrorCode>().toEqualTypeOf<
      | 'ERR_HTTP_STATUS'
      | 'ERR_RESPONSE_TOO_LARGE'
      | 'ERR_NO_BODY'
      | 'ERR_NO_TOKEN'
      | 'ERR_TOKEN_LIFETIME'
      | 'ERR_WRONG_IDENTITY'
      | 'ERR_STOPPED'
    >();
    expectTypeOf<keyof typeof TOKEN_FETCH_ERRORS>().toEqualTypeOf<TokenFetchErrorCode>();
    expectTypeOf<TokenFetchError['code']>().toEqualTypeOf<TokenFetchErrorCode>();
    expectTypeOf<TokenFetchError['status']>().toEqualTypeOf<number | undefined>();
  });
});
