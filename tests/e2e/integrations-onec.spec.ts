import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { standings } from '../support/bitrix24-sync.js';
import { CrmWorld } from '../support/crm.js';
import { FakeOnecOdata, ONEC_ERRORS, type FakeSaleDocument } from '../support/fake-1c-odata.js';
import {
  expectedOnecPoints,
  fillCatalogs,
  marchDate,
  ONEC_USERS,
  PRODUCTS,
  saleDocument,
  USD_KEY,
  type Family,
} from '../support/onec-sync.js';

const RATE = 0.2;

/** The 1C integration of `onec`, its users mapped to anna and boris. */
async function connect(
  world: CrmWorld,
  onec: FakeOnecOdata,
  family: Family,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const created = await world.admin('POST', '/api/integrations', {
    kind: '1c-odata',
    name: `1C ${family}`,
    settings: {
      baseUrl: onec.baseUrl,
      username: onec.username,
      password: onec.password,
      configuration: family,
      marginRate: RATE,
      timeZone: 'Asia/Yekaterinburg',
      pageSize: 10,
      timeoutMs: 5_000,
      productRows: 'perRow',
      ...settings,
    },
  });
  if (created.status !== 201) throw new Error(`integration: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
    [ONEC_USERS.anna]: 'anna',
    [ONEC_USERS.boris]: 'boris',
  });
  if (mapped.status !== 200) throw new Error(`mappings: ${JSON.stringify(mapped.body)}`);
  return id;
}

/** 30 posted sale documents dated 1–10 March, alternately anna's and boris's. */
function thirtyDocuments(onec: FakeOnecOdata, family: Family): void {
  for (let n = 0; n < 30; n += 1) {
    onec.documents.push(
      saleDocument(family, {
        number: n + 1,
        date: marchDate(Math.floor(n / 3), 9 * 60 + n * 7),
        seller: n % 3 === 0 ? ONEC_USERS.boris : ONEC_USERS.anna,
        // Some amounts as strings, as 1C writes large decimal values.
        amount: n % 4 === 0 ? (120_000 + n * 1_111).toFixed(2) : 80_000 + n * 2_345.5,
      }),
    );
  }
}

const saleEvents = async (world: CrmWorld, source: string) =>
  (
    await world.rows(
      `SELECT external_id, type, occurred_at FROM events WHERE source = $1 ORDER BY id`,
      [source],
    )
  ).map((row) => ({
    externalId: row.external_id as string,
    type: row.type as string,
    occurredAt: (row.occurred_at as Date).toISOString(),
  }));

for (const family of ['ut11', 'bp30'] as const) {
  describe(`1C OData pull sync (${family})`, () => {
    const world = new CrmWorld({ allowPrivateCrm: true });
    const onec = new FakeOnecOdata();
    let id: string;
    const source = '1c-odata';
    const sync = () => world.admin('POST', `/api/integrations/${id}/sync`);

    beforeAll(async () => {
      await onec.start();
      await world.start();
      fillCatalogs(onec);
      // A document of February: before the window (the live contest starts on 1 March).
      onec.documents.push(
        saleDocument(family, {
          number: 999,
          date: '2026-02-20T10:00:00',
          seller: ONEC_USERS.anna,
          amount: 500_000,
        }),
      );
      thirtyDocuments(onec, family);
      id = await connect(world, onec, family);
    });

    afterAll(async () => {
      await world.stop();
      await onec.stop();
    });

    it('offers the infobase users to map, by name', async () => {
      const users = await world.admin('GET', `/api/integrations/${id}/crm-users`);
      expect(users.status).toBe(200);
      expect(users.body).toEqual([
        { id: ONEC_USERS.admin, name: 'Администратор' },
        { id: ONEC_USERS.anna, name: 'Анна Петрова' },
        { id: ONEC_USERS.boris, name: 'Борис Иванов' },
      ]);
    });

    it('counts the 30 posted documents, each at its Date in the integration time zone', async () => {
      const first = await sync();
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ outcome: 'ok', read: 30, applied: 30, failures: [] });
      // Four pages of 10 by Date then Ref_Key, from the contest's start in Yekaterinburg time.
      const lists = onec.documentLists();
      expect(lists.map((call) => call.query.$skip)).toEqual(['0', '10', '20', '30']);
      expect(lists[0]?.query).toMatchObject({
        $format: 'json',
        $filter: "Date ge datetime'2026-03-01T05:00:00'",
        $orderby: 'Date asc,Ref_Key asc',
        $top: '10',
      });
      expect(onec.calls.every((call) => call.authorised)).toBe(true);
      const sales = await saleEvents(world, source);
      const saleRefs = new Set(sales.map((sale) => sale.externalId.replace(/#\d+$/, '')));
      expect(saleRefs.size).toBe(30);
      for (const document of onec.documents.slice(1)) {
        expect(sales).toContainEqual({
          externalId: `doc-${document.Ref_Key}#1`,
          type: 'sale',
          occurredAt: new Date(`${document.Date}+05:00`).toISOString(),
        });
      }
      expect(await standings(world)).toEqual(
        await expectedOnecPoints(world, family, onec.documents.slice(1), '+05:00', RATE),
      );
    });

    it('after 5 unposted, 3 changed and 2 marked for deletion, stands as evaluate of the documents that stand', async () => {
      const documents = onec.documents.slice(1);
      for (const document of documents.slice(0, 5)) onec.write(document.Ref_Key, { Posted: false });
      for (const document of documents.slice(5, 8)) {
        const seller = family === 'ut11' ? 'Менеджер_Key' : 'Ответственный_Key';
        onec.write(document.Ref_Key, {
          СуммаДокумента: Number(document.СуммаДокумента) + 33_333.33,
          [seller]: ONEC_USERS.boris,
        });
      }
      for (const document of documents.slice(8, 10)) {
        onec.write(document.Ref_Key, { DeletionMark: true });
      }
      const second = await sync();
      expect(second.body).toMatchObject({ outcome: 'ok', read: 10, applied: 10, failures: [] });
      const standing = documents.filter((document) => document.Posted && !document.DeletionMark);
      expect(standing).toHaveLength(23);
      expect(await standings(world)).toEqual(
        await expectedOnecPoints(world, family, standing, '+05:00', RATE),
      );
      // The changed ones keep the moment they were counted at.
      const sales = await saleEvents(world, source);
      const changed = documents[5] as FakeSaleDocument;
      expect(sales).toContainEqual({
        externalId: `doc-${changed.Ref_Key}/2#1`,
        type: 'sale',
        occurredAt: new Date(`${changed.Date}+05:00`).toISOString(),
      });
    });

    it('changes nothing on a second sync, and an unchanged document costs nothing', async () => {
      const before = await saleEvents(world, source);
      const points = await standings(world);
      const again = await sync();
      expect(again.body).toMatchObject({ outcome: 'ok', read: 0, applied: 0, failures: [] });
      expect(await saleEvents(world, source)).toEqual(before);
      expect(await standings(world)).toEqual(points);
    });

    it('reverses the sale of a document deleted from 1C', async () => {
      const document = onec.documents[20] as FakeSaleDocument;
      onec.remove(document.Ref_Key);
      const run = await sync();
      expect(run.body).toMatchObject({ outcome: 'ok', read: 1, applied: 1 });
      expect(
        onec.calls.some(
          (call) => call.set === `Document_РеализацияТоваровУслуг(guid'${document.Ref_Key}')`,
        ),
      ).toBe(true);
      const reversed = (await saleEvents(world, source)).filter(
        (event) =>
          event.type === 'reversal' && event.externalId.startsWith(`doc-${document.Ref_Key}`),
      );
      expect(reversed.length).toBeGreaterThan(0);
      const standing = onec.documents.slice(1).filter((one) => one.Posted && !one.DeletionMark);
      expect(await standings(world)).toEqual(
        await expectedOnecPoints(world, family, standing, '+05:00', RATE),
      );
      expect((await sync()).body).toMatchObject({ outcome: 'ok', read: 0 });
    });

    it('counts product rows by the names in Catalog_Номенклатура', async () => {
      const document = onec.documents.slice(1).find((one) => one.Posted && !one.DeletionMark);
      if (!document) throw new Error('no standing document');
      const rows = await world.rows(
        `SELECT external_id, payload->>'product' AS product, payload->>'quantity' AS quantity
           FROM events
          WHERE source = $1 AND type = 'sale' AND external_id LIKE $2 ORDER BY external_id`,
        [source, `doc-${document.Ref_Key}#%`],
      );
      expect(rows.map((row) => [row.product, Number(row.quantity)])).toEqual([
        ['Дрель ударная', 2],
        ['Пила дисковая', 1],
      ]);
    });

    it('holds a document in another currency', async () => {
      const field = family === 'ut11' ? 'Валюта_Key' : 'ВалютаДокумента_Key';
      const document = saleDocument(family, {
        number: 500,
        date: marchDate(8, 600),
        seller: ONEC_USERS.anna,
        amount: 1_000,
      });
      onec.documents.push({ ...document, [field]: USD_KEY });
      expect((await sync()).body).toMatchObject({ outcome: 'ok', read: 1, applied: 1 });
      const held = await world.admin('GET', `/api/integrations/${id}/held`);
      expect(held.body.deals).toContainEqual(
        expect.objectContaining({ dealId: document.Ref_Key, reason: 'currency', currency: 'USD' }),
      );
    });

    it('reconciles the documents against the contest: only the held one differs', async () => {
      const answer = await world.admin(
        'GET',
        `/api/integrations/${id}/reconciliation?contestId=${world.contestId}`,
      );
      expect(answer.status).toBe(200);
      // The documents that stand, the last of them the one in USD held for its currency.
      const standing = onec.documents.slice(1).filter((one) => one.Posted && !one.DeletionMark);
      const differences = answer.body.differences as { dealId: string; reason: string }[];
      const usd = standing.at(-1) as FakeSaleDocument;
      expect(differences).toEqual([
        expect.objectContaining({ dealId: usd.Ref_Key, reason: 'currency' }),
      ]);
      const counted = standing.slice(0, -1);
      const amount = counted.reduce(
        (sum, one) => sum + Math.round(Number(one.СуммаДокумента) * 100),
        0,
      );
      expect(answer.body.crm).toEqual({ count: standing.length, amountMinor: amount });
      expect((answer.body.podium as { amountMinor: number }).amountMinor).toBe(amount);
    });

    it('moves the sale of a document whose Date the accountant changed, out of the period or within it', async () => {
      const documents = onec.documents.slice(1);
      const standing = documents.filter((document) => document.Posted && !document.DeletionMark);
      // Two documents counted once and untouched since.
      const [toApril, within] = standing.slice(5, 7) as [FakeSaleDocument, FakeSaleDocument];
      onec.write(toApril.Ref_Key, { Date: '2026-04-02T11:00:00' });
      onec.write(within.Ref_Key, { Date: marchDate(0, 9 * 60) });
      const run = await sync();
      expect(run.body).toMatchObject({ outcome: 'ok', read: 2, applied: 2, failures: [] });
      const sales = await saleEvents(world, source);
      // The sale counted on its old Date is reversed there; the new one stands at the new Date.
      const latest = (document: FakeSaleDocument) =>
        sales
          .filter(
            (event) =>
              event.type === 'sale' && event.externalId.startsWith(`doc-${document.Ref_Key}/`),
          )
          .sort((a, b) => a.externalId.localeCompare(b.externalId))
          .at(-1);
      expect(latest(toApril)).toMatchObject({
        type: 'sale',
        occurredAt: new Date('2026-04-02T11:00:00+05:00').toISOString(),
      });
      expect(latest(within)).toMatchObject({
        type: 'sale',
        occurredAt: new Date(`${marchDate(0, 9 * 60)}+05:00`).toISOString(),
      });
      // The last document is the one held in USD.
      expect(await standings(world)).toEqual(
        await expectedOnecPoints(world, family, documents.slice(0, -1), '+05:00', RATE),
      );
      const inMarch = documents.filter(
        (document) => document.Posted && !document.DeletionMark && document.Date < '2026-04',
      );
      expect(inMarch).toHaveLength(standing.length - 1);
    });

    it('reads every document again when a setting that counts them changes', async () => {
      const documents = onec.documents.slice(1);
      const patched = await world.admin('PATCH', `/api/integrations/${id}`, {
        settings: {
          baseUrl: onec.baseUrl,
          username: onec.username,
          configuration: family,
          marginRate: 0.25,
          timeZone: 'Asia/Yekaterinburg',
          pageSize: 10,
          timeoutMs: 5_000,
          productRows: 'perRow',
        },
      });
      expect(patched.status).toBe(200);
      const run = await sync();
      expect(run.body).toMatchObject({ outcome: 'ok', failures: [] });
      expect((run.body as { applied: number }).applied).toBeGreaterThanOrEqual(20);
      expect(await standings(world)).toEqual(
        await expectedOnecPoints(world, family, documents.slice(0, -1), '+05:00', 0.25),
      );
      const again = await sync();
      expect(again.body).toMatchObject({ outcome: 'ok', read: 0, applied: 0 });
    });
  });
}

describe('1C OData integration: settings, password, errors, register margin', () => {
  const world = new CrmWorld({ allowPrivateCrm: true });
  const onec = new FakeOnecOdata();
  const base = () => ({
    baseUrl: onec.baseUrl,
    username: onec.username,
    password: onec.password,
    configuration: 'ut11',
    marginRate: RATE,
    productRows: 'perRow',
  });

  beforeAll(async () => {
    await onec.start();
    await world.start();
    fillCatalogs(onec);
  });

  afterAll(async () => {
    await world.stop();
    await onec.stop();
  });

  it('refuses settings naming the field, and writes nothing', async () => {
    const before = await world.rows('SELECT count(*)::int AS n FROM integrations');
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...base(), configuration: 'bp30', marginSource: 'register', marginRate: undefined },
        'settings.marginSource',
      ],
      [
        { ...base(), baseUrl: `${onec.baseUrl.replace('/odata/standard.odata', '')}/hs/api` },
        'settings.baseUrl',
      ],
      [{ ...base(), password: undefined }, 'settings.password'],
      [{ ...base(), configuration: 'ut10' }, 'settings.configuration'],
      [{ ...base(), marginRate: undefined }, 'settings.marginRate'],
      [{ ...base(), timeZone: 'Mars/Olympus' }, 'settings.timeZone'],
    ];
    for (const [settings, path] of cases) {
      const answer = await world.admin('POST', '/api/integrations', {
        kind: '1c-odata',
        name: `bad ${path}`,
        settings,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toContainEqual(expect.objectContaining({ path }));
    }
    expect(await world.rows('SELECT count(*)::int AS n FROM integrations')).toEqual(before);
  });

  it('keeps the password encrypted, never shows it, and keeps it when PATCH leaves it out', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: '1c-odata',
      name: '1C password',
      settings: { ...base(), source: '1c-password' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(JSON.stringify(created.body)).not.toContain(onec.password);
    const shown = await world.admin('GET', `/api/integrations/${id}`);
    expect(shown.body.settings).toMatchObject({ password: '••••••', username: onec.username });
    expect(JSON.stringify(shown.body)).not.toContain(onec.password);
    const [stored] = await world.rows(
      'SELECT settings::text AS settings, access_token_encrypted FROM integrations WHERE id = $1',
      [id],
    );
    expect(stored?.settings).not.toContain(onec.password);
    expect(stored?.access_token_encrypted).not.toContain(onec.password);
    const { password: _password, ...rest } = base();
    const patched = await world.admin('PATCH', `/api/integrations/${id}`, {
      settings: { ...rest, source: '1c-password', marginRate: 0.3 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toMatchObject({ marginRate: 0.3, password: '••••••' });
    const run = await world.admin('POST', `/api/integrations/${id}/sync`);
    expect(run.body).toMatchObject({ outcome: 'ok' });
    expect(onec.calls.at(-1)?.authorised).toBe(true);
  });

  it('surfaces bad credentials and 1C errors in the sync status, never with the password', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: '1c-odata',
      name: '1C wrong password',
      settings: { ...base(), source: '1c-wrong', password: 'not-the-password' },
    });
    const id = created.body.id as string;
    const run = await world.admin('POST', `/api/integrations/${id}/sync`);
    expect(run.body).toMatchObject({ outcome: 'failed' });
    expect(run.body.error).toMatch(/401/);
    expect(run.body.error).toMatch(/Ошибка аутентификации/);
    expect(run.body.error).toMatch(/settings\.password/);
    expect(JSON.stringify(run.body)).not.toContain('not-the-password');
    const status = await world.admin('GET', `/api/integrations/${id}`);
    expect(status.body.sync).toMatchObject({ outcome: 'failed', consecutiveFailures: 1 });

    const good = await world.admin('POST', '/api/integrations', {
      kind: '1c-odata',
      name: '1C errors',
      settings: { ...base(), source: '1c-errors' },
    });
    const goodId = good.body.id as string;
    // A 400 cannot heal: surfaced at once in 1C's words.
    onec.script.push(ONEC_ERRORS.badQuery);
    const refused = await world.admin('POST', `/api/integrations/${goodId}/sync`);
    expect(refused.body).toMatchObject({ outcome: 'failed' });
    expect(refused.body.error).toContain('1C answered 400');
    expect(refused.body.error).toContain('Неправильный формат параметра запроса $filter');
    // A 500 heals on the retry.
    onec.script.push(ONEC_ERRORS.internal);
    const healed = await world.admin('POST', `/api/integrations/${goodId}/sync`);
    expect(healed.body).toMatchObject({ outcome: 'ok', error: null });
  });

  it('reads the counterparty as the client, new without an earlier posted sale', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: '1c-odata',
      name: '1C clients',
      settings: { ...base(), source: '1c-clients', newClients: true, configuration: 'bp30' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await world.admin('PUT', `/api/integrations/${id}/mappings`, { [ONEC_USERS.boris]: 'boris' });
    const counterparty = 'c1c1c1c1-0000-11ee-9a1f-00155d000077';
    const first = saleDocument('bp30', {
      number: 801,
      date: marchDate(2, 600),
      seller: ONEC_USERS.boris,
      amount: 10_000,
    });
    const second = saleDocument('bp30', {
      number: 802,
      date: marchDate(3, 600),
      seller: ONEC_USERS.boris,
      amount: 20_000,
    });
    onec.documents.push(
      { ...first, Контрагент_Key: counterparty },
      { ...second, Контрагент_Key: counterparty },
    );
    expect((await world.admin('POST', `/api/integrations/${id}/sync`)).body).toMatchObject({
      outcome: 'ok',
    });
    const clients = await world.rows(
      `SELECT external_id, payload->>'clientId' AS client, payload->>'isNewClient' AS new
         FROM events WHERE source = '1c-clients' AND type = 'sale' ORDER BY external_id`,
    );
    const of = (document: FakeSaleDocument) =>
      clients
        .filter((row) => (row.external_id as string).startsWith(`doc-${document.Ref_Key}`))
        .map((row) => [row.client, row.new]);
    expect(of(first)).toEqual([
      [counterparty, 'true'],
      [counterparty, 'true'],
    ]);
    expect(of(second)).toEqual([
      [counterparty, 'false'],
      [counterparty, 'false'],
    ]);
    onec.documents.splice(-2, 2);
  });

  it('reads the margin from ВыручкаИСебестоимостьПродаж and re-reads it when the month is closed', async () => {
    const created = await world.admin('POST', '/api/integrations', {
      kind: '1c-odata',
      name: '1C register',
      settings: {
        ...base(),
        source: '1c-register',
        marginSource: 'register',
        marginRate: undefined,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await world.admin('PUT', `/api/integrations/${id}/mappings`, { [ONEC_USERS.anna]: 'anna' });
    const document = saleDocument('ut11', {
      number: 700,
      date: marchDate(4, 600),
      seller: ONEC_USERS.anna,
      amount: 120_000,
    });
    onec.documents.push(document);
    const register = onec.rows('AccumulationRegister_ВыручкаИСебестоимостьПродаж_RecordType');
    const record = (line: number, revenue: number, cost: number | string) => ({
      Recorder: document.Ref_Key,
      Recorder_Type: 'StandardODATA.Document_РеализацияТоваровУслуг',
      Period: document.Date,
      LineNumber: String(line),
      Active: true,
      АналитикаУчетаНоменклатуры_Key: PRODUCTS.drill,
      СуммаВыручкиБезНДС: revenue,
      СтоимостьБезНДС: cost,
      Количество: 1,
    });
    // Before the month's closing the cost is not computed yet.
    register.push(record(1, 70_000, 0), record(2, 30_000, 0));
    expect((await world.admin('POST', `/api/integrations/${id}/sync`)).body).toMatchObject({
      outcome: 'ok',
    });
    /** The margin of the sales counted for the document (its rows' shares summed). */
    const counted = async (sale: string) => {
      const rows = await world.rows(
        `SELECT sum((payload->>'marginMinor')::bigint)::bigint AS margin FROM events
          WHERE source = '1c-register' AND type = 'sale' AND external_id LIKE $1`,
        [`doc-${document.Ref_Key}${sale}#%`],
      );
      return rows[0]?.margin === null ? null : Number(rows[0]?.margin);
    };
    expect(await counted('')).toBe(100_000_00);
    const registerCalls = onec.calls.filter((call) => call.set.startsWith('AccumulationRegister_'));
    expect(registerCalls.at(-1)?.query.$filter).toBe(
      "Period ge datetime'2026-03-01T03:00:00' and Recorder_Type eq 'StandardODATA.Document_РеализацияТоваровУслуг'",
    );
    // The month is closed: the cost is written, the document itself unchanged.
    register.splice(0, register.length, record(1, 70_000, 41_000), record(2, 30_000, '17500.50'));
    expect((await world.admin('POST', `/api/integrations/${id}/sync`)).body).toMatchObject({
      outcome: 'ok',
      read: 1,
      applied: 1,
    });
    expect(await counted('/2')).toBe(41_499_50);
    const reversals = await world.rows(
      `SELECT count(*)::int AS n FROM events
        WHERE source = '1c-register' AND type = 'reversal' AND external_id LIKE $1`,
      [`doc-${document.Ref_Key}#%`],
    );
    expect(reversals[0]?.n).toBe(2);
    // Unchanged since: nothing more.
    expect((await world.admin('POST', `/api/integrations/${id}/sync`)).body).toMatchObject({
      outcome: 'ok',
      read: 0,
    });
  });
});
