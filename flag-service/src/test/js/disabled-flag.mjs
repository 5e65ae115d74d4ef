// What the OpenFeature JavaScript SDK (server) with its OFREP provider makes of flag-service's answer for a disabled
// flag. The answer below is the one OfrepFlagdSemanticsTest checks on the wire: 200, reason DISABLED, no value.
//
//   cd flag-service/src/test/js && npm install && node disabled-flag.mjs
//
// Run on 2026-12-02 with @openfeature/ofrep-provider 0.1.3 (ofrep-core 0.1.4): for both defaults the caller's
// default comes back, with reason ERROR and errorCode GENERAL ("The OFREP response does not match the expected
// format"): the provider does not read OFREP's code-default success yet.
import http from 'node:http';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const server = http.createServer((request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ key: 'kill-switched', reason: 'DISABLED', metadata: {} }));
});

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl: `http://127.0.0.1:${port}` }));
  const client = OpenFeature.getClient();
  for (const callerDefault of [false, true]) {
    const details = await client.getBooleanDetails('kill-switched', callerDefault, { targetingKey: 'user-1' });
    console.log(JSON.stringify({ callerDefault, value: details.value, reason: details.reason,
      errorCode: details.errorCode, errorMessage: details.errorMessage }));
  }
  await OpenFeature.close();
  server.close();
});
