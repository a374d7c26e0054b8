import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { afterAll, describe, expect, test } from 'vitest';
import type { DeniedEvent, IssuedEvent } from '../../src/handlers/node-http/index.js';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import { videoGrant, voiceGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';
import { localServers } from '../local-servers.js';

// The guards guide's other recipes, run as written: an OpenTelemetry
// counter fed by the diagnostics channel (read back from the SDK's in-memory exporter), and
// express-rate-limit per IP in front of the handler.

const { serve, close } = localServers();
afterAll(close);

describe('an OpenTelemetry counter fed by the channel', () => {
  test('counts tokens issued by product and refusals by code', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);

    // The guide's code, as written.
    const meter = metrics.getMeter('token-endpoint');
    const issued = meter.createCounter('twilio_access_token.issued', { description: 'Access Tokens issued' });
    const denied = meter.createCounter('twilio_access_token.denied', { description: 'Token requests refused' });
    const onIssued = (message: unknown) => {
      const event = message as IssuedEvent;
      issued.add(1, { products: event.products.join(','), api_key_sid: event.apiKeySid });
    };
    const onDenied = (message: unknown) => {
      const event = message as DeniedEvent;
      denied.add(1, { code: event.code, status: event.status });
    };
    subscribe('twilio-access-token:issued', onIssued);
    subscribe('twilio-access-token:denied', onDenied);

    try {
      const url = await serve(
        createExpressHandler({
          credentials,
          identify: ({ headers }) => headers['x-user'] ?? null,
          grants: [videoGrant(), voiceGrant({ incomingAllow: true })],
        }),
      );
      for (const user of ['alice', 'bob', 'carol'])
        expect((await fetch(url, { headers: { 'x-user': user } })).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { method: 'PUT' })).status).toBe(405);

      await reader.forceFlush();
      const points = exporter
        .getMetrics()
        .flatMap((r) => r.scopeMetrics)
        .flatMap((s) => s.metrics)
        .flatMap((m) =>
          m.dataPoints.map((p) => ({ name: m.descriptor.name, attributes: p.attributes, value: p.value })),
        );
      expect(points).toEqual(
        expect.arrayContaining([
          {
            name: 'twilio_access_token.issued',
            attributes: { products: 'video,voice', api_key_sid: credentials.apiKeySid },
            value: 3,
          },
          { name: 'twilio_access_token.denied', attributes: { code: 'ERR_UNAUTHORIZED', status: 401 }, value: 2 },
          { name: 'twilio_access_token.denied', attributes: { code: 'ERR_METHOD_NOT_ALLOWED', status: 405 }, value: 1 },
        ]),
      );
      expect(points).toHaveLength(3);
    } finally {
      unsubscribe('twilio-access-token:issued', onIssued);
      unsubscribe('twilio-access-token:denied', onDenied);
      await provider.shutdown();
      metrics.disable();
    }
  });
});

describe('express-rate-limit per IP in front of the handler', () => {
  test('the first 3 requests from an address reach the handler, the rest get the JSON 429', async () => {
    const app = express();
    const perIp = rateLimit({
      windowMs: 60_000,
      limit: 3,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) =>
        res
          .status(429)
          .set('Cache-Control', 'no-store')
          .json({ error: { code: 'ERR_RATE_LIMITED', message: 'Too many token requests; retry later' } }),
    });
    const seen: (string | undefined)[] = [];
    app.post(
      '/token',
      perIp,
      createExpressHandler({
        credentials,
        identify: ({ ip }) => {
          seen.push(ip);
          return 'alice';
        },
        grants: videoGrant(),
      }),
    );
    const url = await serve(app);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await fetch(url, { method: 'POST' }));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    const refused = answers[4] as Response;
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('ratelimit-policy')).toContain('q=3');
    expect(await refused.json()).toEqual({
      error: { code: 'ERR_RATE_LIMITED', message: 'Too many token requests; retry later' },
    });
    expect(seen).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });
});
