import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { callBitrix24, PortalError } from './bitrix24-client.js';
import { isNonPublicAddress, nonPublicAddressOf } from './portal-address.js';

describe(isNonPublicAddress.name, () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.10',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2001:4860:4860::8888'])(
    'accepts %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe(nonPublicAddressOf.name, () => {
  it('judges literal hosts, IPv6 in brackets, and names by what they resolve to', async () => {
    expect(await nonPublicAddressOf('https://127.0.0.1/rest/1/x/')).toBe('127.0.0.1');
    expect(await nonPublicAddressOf('https://[::1]:8443/rest/1/x/')).toBe('::1');
    expect(await nonPublicAddressOf('https://[fe80::1]/rest/1/x/')).toBe('fe80::1');
    expect(await nonPublicAddressOf('https://8.8.8.8/rest/1/x/')).toBeNull();
    // `localhost` resolves to a loopback address on every machine.
    expect(await nonPublicAddressOf('http://localhost:9/rest/1/x/')).toMatch(/^(127\.|::1$)/);
    expect(await nonPublicAddressOf('https://name.invalid/rest/1/x/')).toBeNull();
  });
});

describe(callBitrix24.name, () => {
  it('checks the address again at call time: a portal now on a private address is not called', async () => {
    let calls = 0;
    const server = http.createServer((_request, response) => {
      calls += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ result: {} }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const portal = `http://127.0.0.1:${port}/rest/1/abc123/`;
      const refused = await callBitrix24(
        portal,
        'crm.deal.get',
        { id: '42' },
        { timeoutMs: 1_000, allowPrivate: false },
      ).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PortalError);
      expect(refused).toMatchObject({
        retryable: false,
        message: expect.stringContaining('settings.portalWebhookUrl'),
      });
      expect(calls).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
