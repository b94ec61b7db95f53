// Starts a local Bluesky network on loopback for the publishing tests: a PLC directory, a PDS
// and the reference AppView (with the moderation service it is wired to), as
// `@atproto/dev-env`'s `TestNetwork` runs them. Prints one JSON line when it is ready and stops
// on SIGTERM, SIGINT or when stdin closes (the test process that spawned it has gone).
//
//   {"pds":"http://localhost:PORT","plc":"http://localhost:PORT","appview":"http://localhost:PORT","handleDomain":".test"}
//
// The AppView indexes what the PDS publishes a moment later. A line `process` on stdin waits
// until it has caught up with everything published so far and answers `{"processed":true}`
// (or `{"processed":false,"error":"…"}`), so tests read counts without polling.
//
// The AppView and the moderation service keep their data in PostgreSQL and use Redis:
//   KYROS_BLUESKY_POSTGRES_URL  an account that may create databases
//                               (default postgres://postgres@127.0.0.1:5432/postgres)
//   KYROS_BLUESKY_REDIS_HOST    host:port (default 127.0.0.1:6379)
// Each run makes a database of its own and drops it on exit, so runs never share state.
//
// Accounts need no invite code: tests create them with com.atproto.server.createAccount.
// Handles end in `handleDomain`; the PDS resolves them through
// com.atproto.identity.resolveHandle, and the PLC directory serves each account's DID document,
// whose `#atproto_pds` service is this PDS.

import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import pg from 'pg';

const adminUrl =
  process.env.KYROS_BLUESKY_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisHost = process.env.KYROS_BLUESKY_REDIS_HOST ?? '127.0.0.1:6379';

// Every file the network writes (account databases, blobs) goes to one folder removed on exit.
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kyros-bluesky-pds-'));
process.env.TMPDIR = dataRoot;

// The servers call `listen(port)`, which binds every interface: keep them on loopback.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
    args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};

const database = `kyros_bluesky_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;

/** Runs one statement on the server's maintenance database. */
async function admin(statement) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const { TestNetwork } = await import('@atproto/dev-env');

let network;
let databaseCreated = false;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await network?.close();
  } catch (error) {
    console.error('closing the network:', error);
  }
  if (databaseCreated) {
    try {
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    } catch (error) {
      console.error(`dropping the database ${database}:`, error);
    }
  }
  fs.rmSync(dataRoot, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));

function answer(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

try {
  await admin(`CREATE DATABASE ${database}`);
  databaseCreated = true;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  process.env.REDIS_HOST = redisHost;
  network = await TestNetwork.create({ dbPostgresUrl: url.toString(), dbPostgresSchema: 'kyros' });
} catch (error) {
  console.error('the local Bluesky network did not start:', error);
  await stop(1);
}

// Commands arrive one per line; the end of stdin means the test is over.
const commands = readline.createInterface({ input: process.stdin });
commands.on('close', () => stop(0));
commands.on('line', async (line) => {
  if (line.trim() !== 'process') return;
  try {
    // The moderation service is left out: its daemon takes seconds per pass and counts
    // nothing the tests read.
    await network.pds.processAll();
    await network.processFullSubscription();
    answer({ processed: true });
  } catch (error) {
    answer({ processed: false, error: String(error) });
  }
});

answer({
  pds: network.pds.url,
  plc: network.plc.url,
  appview: network.bsky.url,
  handleDomain: '.test',
});
