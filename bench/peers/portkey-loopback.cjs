// Preload for the Portkey gateway (node --require <this file> start-server.js ...).
// Portkey 1.15 calls @hono/node-server's serve() without a hostname, which listens on
// 0.0.0.0 (all interfaces) and has no option to change that. The benchmark must only
// listen on loopback, so this rewrites a wildcard host in Server.prototype.listen to
// PORTKEY_BIND_HOST (default 127.0.0.1). Nothing else is changed.
'use strict';
const net = require('net');
const host = process.env.PORTKEY_BIND_HOST || '127.0.0.1';
const wildcard = new Set([undefined, null, '', '0.0.0.0', '::']);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  // Forms used by node-server: listen(port, host, cb). Also handle listen({port, host}).
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (typeof args[1] === 'function' || args.length === 1) args.splice(1, 0, host);
    else if (wildcard.has(args[1])) args[1] = host;
  } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && wildcard.has(args[0].host)) {
    args[0] = { ...args[0], host };
  }
  return listen.apply(this, args);
};
