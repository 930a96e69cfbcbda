import { expect } from 'chai';
import request from 'supertest';
import { GatewayError, createApp, createGatewayLogger } from '@kyc-ledger/gateway';
import { FakeLedgerClient } from './fakeLedgerClient';
import { CERTIFIER_KEY, SUBJECT, appConfig, attestationInput, newTestApp } from './testApp';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('gateway operations', function () {
  it('/livez answers while the ledger is down; /readyz only when probe:ping answers', async function () {
    const { app, ledger } = newTestApp();
    await request(app).get('/livez').expect(200, { status: 'ok' });
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    expect(ledger.evaluates.at(-1)?.fn).to.equal('probe:ping');

    ledger.pingFailure = new GatewayError('UPSTREAM_UNAVAILABLE', 'no peer');
    await request(app).get('/livez').expect(200);
    const down = await request(app).get('/readyz').expect(503);
    expect(down.body).to.include({ code: 'UPSTREAM_UNAVAILABLE', detail: 'the ledger is not reachable' });

    ledger.pingFailure = 'hang';
    const started = Date.now();
    await request(app).get('/readyz').expect(503);
    expect(Date.now() - started).to.be.lessThan(2000);
  });

  it('echoes a well-formed x-request-id, replaces a malformed one, and puts it in problems and logs', async function () {
    const { app, logs } = newTestApp();
    const kept = await request(app).get('/livez').set('x-request-id', 'trace-0001.abc').expect(200);
    expect(kept.headers['x-request-id']).to.equal('trace-0001.abc');
    const replaced = await request(app).get('/nowhere').set('x-request-id', 'bad id\twith tab').expect(404);
    expect(replaced.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(replaced.body.requestId).to.equal(replaced.headers['x-request-id']);
    await tick();
    expect(logs.map((l) => l.requestId)).to.deep.equal(['trace-0001.abc', replaced.headers['x-request-id']]);
  });

  it('logs one line per request with the API key and authorization redacted, never the body', async function () {
    const { app, logs } = newTestApp();
    await request(app)
      .post('/v1/attestations')
      .set('x-api-key', CERTIFIER_KEY)
      .set('authorization', 'Bearer top-secret')
      .set('cookie', 'session=also-secret')
      .send(attestationInput())
      .expect(201);
    await tick();
    expect(logs).to.have.length(1);
    const line = logs[0] as { req: { headers: Record<string, string>; route: string }; res: { statusCode: number }; apiKeyId: string; transactionId: string };
    expect(line.req.headers['x-api-key']).to.equal('[redacted]');
    expect(line.req.headers.authorization).to.equal('[redacted]');
    expect(line.req.headers.cookie).to.equal('[redacted]');
    expect(line).to.deep.include({ apiKeyId: 'ops', transactionId: 'tx1' });
    expect(line.req.route).to.equal('/v1/attestations');
    const text = JSON.stringify(logs);
    for (const secret of [CERTIFIER_KEY, 'top-secret', 'also-secret', 'a1a1a1a1', SUBJECT.slice(-10)]) expect(text).not.to.contain(secret);
  });

  it('exports request counts and latency by route template and status, plus default metrics', async function () {
    const { app } = newTestApp();
    await request(app).get(`/v1/public/attestations/${SUBJECT}/status`).expect(200);
    await request(app).get('/v1/public/attestations/not-an-address/status').expect(400);
    await request(app).get('/wp-admin/setup.php').expect(404);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    expect(res.text).to.contain('kyc_gateway_http_requests_total{method="GET",route="/v1/public/attestations/:subject/status",status="200"} 1');
    expect(res.text).to.contain('kyc_gateway_http_requests_total{method="GET",route="/v1/public/attestations/:subject/status",status="400"} 1');
    expect(res.text).to.contain('kyc_gateway_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.text).to.contain('kyc_gateway_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/public/attestations/:subject/status",status="200"}');
    expect(res.text).not.to.contain('wp-admin');

    // An app built without a metrics registry of its own gets Node.js default metrics as well.
    const withDefaults = createApp({ config: appConfig(), ledger: new FakeLedgerClient(), logger: createGatewayLogger({ level: 'silent' }) });
    const defaults = await request(withDefaults).get('/metrics').expect(200);
    expect(defaults.text).to.contain('process_cpu_user_seconds_total{org="certifier1"}');
    expect(defaults.text).to.contain('nodejs_eventloop_lag_seconds');
  });

  it('answers OPTIONS with Allow, other methods with 405, and keeps CORS off unless configured', async function () {
    const { app } = newTestApp();
    const options = await request(app).options('/v1/attestations').set('origin', 'https://evil.example').expect(204);
    expect(options.headers.allow).to.equal('GET, HEAD, POST, OPTIONS');
    expect(options.headers).not.to.have.property('access-control-allow-origin');
    const put = await request(app).put(`/v1/attestations/${'a'.repeat(64)}/revoke`).expect(405);
    expect(put.body.code).to.equal('METHOD_NOT_ALLOWED');
    expect(put.headers.allow).to.equal('POST, OPTIONS');

    const withCors = newTestApp('certifier', { cors: { enabled: true, origins: ['https://portal.example'] } }).app;
    const preflight = await request(withCors)
      .options('/v1/attestations')
      .set('origin', 'https://portal.example')
      .set('access-control-request-method', 'POST')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).to.equal('https://portal.example');
    expect(preflight.headers['access-control-allow-headers']).to.contain('x-api-key');
    const other = await request(withCors).get('/livez').set('origin', 'https://evil.example').expect(200);
    expect(other.headers).not.to.have.property('access-control-allow-origin');
  });
});
