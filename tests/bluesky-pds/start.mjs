// Starts a local Bluesky network (a PLC directory and one PDS, no AppView) on loopback for the
// publishing tests, prints one JSON line when it is ready and stops on SIGTERM, SIGINT or when
// stdin closes (the test process that spawned it has gone).
//
//   {"pds":"http://localhost:PORT","plc":"http://localhost:PORT","handleDomain":".test"}
//
// Accounts need no invite code: tests create them with com.atproto.server.createAccount.
// Handles end in `handleDomain`; the PDS resolves them through
// com.atproto.identity.resolveHandle, and the PLC directory serves each account's DID document,
// whose `#atproto_pds` service is this PDS.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Every file the network writes (account databases, blobs) goes to one folder removed on exit.
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'kyros-bluesky-pds-'));
process.env.TMPDIR = dataRoot;

// The PDS and PLC servers call `listen(port)`, which binds every interface: keep them on loopback.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
    args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};

// Nothing may leave the machine: the AppView and moderation service the PDS would proxy to are
// pointed at a loopback port where nothing listens, so those calls fail fast.
const nowhere = 'http://127.0.0.1:1';

const { TestNetworkNoAppView } = await import('@atproto/dev-env');

let network;
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await network?.close();
  } catch (error) {
    console.error('closing the network:', error);
  }
  fs.rmSync(dataRoot, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
process.stdin.on('end', () => stop(0));
process.stdin.on('error', () => stop(0));
process.stdin.resume();

try {
  network = await TestNetworkNoAppView.create({
    pds: { bskyAppViewUrl: nowhere, modServiceUrl: nowhere },
  });
} catch (error) {
  console.error('the local Bluesky network did not start:', error);
  await stop(1);
}

process.stdout.write(
  `${JSON.stringify({ pds: network.pds.url, plc: network.plc.url, handleDomain: '.test' })}\n`,
);
