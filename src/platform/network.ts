import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { z } from 'zod';

/**
 * Egress policy (DESIGN.md "Security"): which hosts a connection may reach. A connector's base URL
 * (and every URL it is later sent to: Salesforce's instance_url, pagination links) must be http(s)
 * without userinfo, and the address a socket really connects to must be a public unicast address,
 * unless an explicit allowlist names the host or a CIDR holding the address (the sandboxes on
 * loopback in tests and `npm run dev`).
 *
 * The check runs three times: on the URL (literal addresses in any spelling: WHATWG URL parsing turns
 * 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1, and [::ffff:7f00:1] is unmapped here), on every
 * address DNS answers at connect time (so a name that resolves to a private address, or rebinds
 * to one after validation, is refused), and on the socket's remote address once connected.
 *
 * The allowlist is process configuration (FORGE_EGRESS_ALLOW, read by config.ts); entries are
 * host names (exact, case-insensitive) or IP addresses / CIDRs, separated by commas or spaces.
 */

export class EgressRefusedError extends Error {
  readonly code = 'ERR_EGRESS_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'EgressRefusedError';
  }
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface EgressPolicy {
  /** Lower-case host names allowed whatever they resolve to. */
  hosts: ReadonlySet<string>;
  cidrs: readonly Cidr[];
  /** The allowlist as configured, for messages. */
  source: string;
}

/** Parses FORGE_EGRESS_ALLOW; throws naming the entry that is neither a host name nor an address/CIDR. */
export function parseEgressAllowlist(text: string | undefined): EgressPolicy {
  const hosts = new Set<string>();
  const cidrs: Cidr[] = [];
  for (const entry of (text ?? '').split(/[\s,]+/).map((e) => e.trim()).filter(Boolean)) {
    const bare = entry.replace(/^\[(.*)\]$/, '$1');
    if (bare.includes('/')) {
      try {
        const [addr, bits] = ipaddr.parseCIDR(bare);
        cidrs.push([unmap(addr), addr.kind() === 'ipv6' && unmap(addr).kind() === 'ipv4' ? Math.max(0, bits - 96) : bits]);
      } catch {
        throw new Error(`FORGE_EGRESS_ALLOW: "${entry}" is not a valid CIDR`);
      }
    } else if (ipaddr.isValid(bare)) {
      const addr = unmap(ipaddr.parse(bare));
      cidrs.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(bare)) {
      hosts.add(bare.toLowerCase());
    } else {
      throw new Error(`FORGE_EGRESS_ALLOW: "${entry}" is neither a host name nor an IP address or CIDR`);
    }
  }
  return { hosts, cidrs, source: text ?? '' };
}

let configured: EgressPolicy | undefined;

/** Sets the process's allowlist (the gateway and the worker call this with their config). */
export function configureEgress(allowlist: string | undefined): void {
  configured = parseEgressAllowlist(allowlist);
}

/** The process's policy: as configured, else from FORGE_EGRESS_ALLOW in the environment. */
export function egressPolicy(): EgressPolicy {
  configured ??= parseEgressAllowlist(process.env.FORGE_EGRESS_ALLOW);
  return configured;
}

function unmap(addr: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

/** Parses an address (IPv4, IPv6 with or without brackets, IPv4-mapped IPv6 unmapped); undefined when it is not one. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!net.isIP(bare)) return undefined;
  return unmap(ipaddr.parse(bare));
}

/**
 * Only global unicast is reachable by default. ipaddr.js names every special range (loopback,
 * private, linkLocal, uniqueLocal, unspecified, carrierGradeNat, multicast, reserved, and the IPv6
 * transition ranges 6to4/teredo/rfc6052 that embed an IPv4 address); all of them are refused.
 */
export function isPublicAddress(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return addr.range() === 'unicast';
}

function allowedByList(addr: ipaddr.IPv4 | ipaddr.IPv6, policy: EgressPolicy): boolean {
  return policy.cidrs.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}

/** Throws EgressRefusedError unless `address` (what a socket connects to) may be reached for `hostname`. */
export function checkAddress(address: string, hostname: string, policy: EgressPolicy = egressPolicy()): void {
  const addr = parseAddress(address);
  if (!addr) throw new EgressRefusedError(`refused to connect to ${hostname}: "${address}" is not an IP address`);
  if (policy.hosts.has(hostname.toLowerCase().replace(/\.$/, ''))) return;
  if (isPublicAddress(addr) || allowedByList(addr, policy)) return;
  const shown = hostname === address ? address : `${hostname} (${addr.toString()})`;
  throw new EgressRefusedError(`refused to connect to ${shown}: ${addr.range()} addresses are not reachable from connectors ` +
    '(FORGE_EGRESS_ALLOW can name hosts or CIDRs to allow)');
}

/** What is wrong with a URL a connector would send requests to, or null. `base` also refuses query and fragment. */
export function egressUrlProblem(value: string | URL, opts: { base?: boolean; policy?: EgressPolicy } = {}): string | null {
  let url: URL;
  try {
    url = typeof value === 'string' ? new URL(value) : value;
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  if (url.username || url.password) return 'must not carry a user name or password';
  if (opts.base && (url.search || (typeof value === 'string' && value.includes('?')))) return 'must not carry a query (?...)';
  if (opts.base && (url.hash || (typeof value === 'string' && value.includes('#')))) return 'must not carry a fragment (#...)';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(host)) {
    try {
      checkAddress(host, host, opts.policy ?? egressPolicy());
    } catch (err) {
      return (err as Error).message;
    }
  }
  return null;
}

/** Throws EgressRefusedError when the URL may not be requested (see egressUrlProblem). */
export function assertEgressUrl(url: URL, policy: EgressPolicy = egressPolicy()): void {
  const problem = egressUrlProblem(url, { policy });
  if (problem) throw new EgressRefusedError(`refused to send a request to ${url.origin}: the URL ${problem}`);
}

/**
 * The zod schema of a connector's base URL: an absolute http(s) URL without userinfo, query or
 * fragment whose host, when it is a literal address, is public or allowlisted. Names resolve at
 * connect time, where egressDispatcher() checks them.
 */
export function egressUrl(defaultUrl?: string) {
  const schema = z.string().superRefine((value, ctx) => {
    const problem = egressUrlProblem(value, { base: true });
    if (problem) ctx.addIssue({ code: 'custom', message: `the URL ${problem}` });
  });
  return defaultUrl === undefined ? schema : schema.default(defaultUrl);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses (as a failed lookup) names resolving to any address the policy does not allow. */
export function checkedLookup(policy: () => EgressPolicy = egressPolicy, resolve: typeof dns.lookup = dns.lookup) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as dns.LookupAddress[];
      try {
        if (list.length === 0) throw new EgressRefusedError(`refused to connect to ${hostname}: it resolves to no address`);
        // Every answer is checked: a name with one public and one private address is refused outright.
        for (const a of list) checkAddress(a.address, hostname, policy());
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, '');
      }
      if (options.all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };
}

export interface EgressDispatcherOptions {
  policy?: () => EgressPolicy;
  /** For tests: a resolver standing in for DNS (rebinding). */
  lookup?: typeof dns.lookup;
}

/**
 * An undici Agent whose every connection is checked: literal addresses before connecting, names
 * on every DNS answer (the socket connects to exactly the address checked), and the connected
 * socket's remote address. Redirects are not followed by the HTTP client; any connection a
 * redirect would open goes through the same checks.
 */
export function createEgressDispatcher(options: EgressDispatcherOptions = {}): Dispatcher {
  const policy = options.policy ?? egressPolicy;
  const lookup = checkedLookup(policy, options.lookup);
  const connect = buildConnector({ lookup } as buildConnector.BuildOptions);
  return new Agent({
    connect(opts, callback) {
      const hostname = opts.hostname.replace(/^\[(.*)\]$/, '$1');
      if (net.isIP(hostname)) {
        try {
          checkAddress(hostname, hostname, policy());
        } catch (err) {
          return callback(err as Error, null);
        }
      }
      return connect(opts, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        try {
          if (socket.remoteAddress) checkAddress(socket.remoteAddress, hostname, policy());
        } catch (refusal) {
          socket.destroy();
          return callback(refusal as Error, null);
        }
        return callback(null, socket);
      });
    },
  });
}

let shared: Dispatcher | undefined;

/** The dispatcher connectors' HTTP clients use by default (checks against the process's policy). */
export function egressDispatcher(): Dispatcher {
  shared ??= createEgressDispatcher();
  return shared;
}

/** The egress refusal in an error or its causes, if any. */
export function egressRefusalOf(err: unknown): Error | undefined {
  let current: unknown = err;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof EgressRefusedError || (current as { code?: unknown }).code === 'ERR_EGRESS_REFUSED') return current as Error;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
