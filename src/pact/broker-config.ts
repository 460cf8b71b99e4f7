import { EvkitError } from '../errors.ts';

/** Where the broker is and how to authenticate; secrets only ever come from the environment. */
export interface BrokerTarget {
  readonly url: string;
  /** The environment for the CLI child: the caller's, with exactly one set of broker credentials. */
  readonly env: NodeJS.ProcessEnv;
  readonly auth: 'token' | 'basic' | 'none';
}

/** The CLI retries 8 times by default; that is minutes against a dead broker, so evkit asks for fewer. */
export const DEFAULT_BROKER_RETRIES = 2;

/** Resolve the broker URL (flag, else PACT_BROKER_BASE_URL) and the credentials of the environment. */
export function brokerTarget(
  flagUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): BrokerTarget {
  const url = flagUrl ?? env.EVKIT_BROKER_URL ?? env.PACT_BROKER_BASE_URL;
  if (!url) {
    throw new EvkitError('E_BROKER_CONFIG', 'no Pact Broker URL', { details: { need: 'url' } });
  }
  try {
    new URL(url);
  } catch (cause) {
    throw new EvkitError('E_BROKER_CONFIG', `the Pact Broker URL "${url}" is not a URL`, {
      details: { need: 'url', url },
      cause,
    });
  }
  const { PACT_BROKER_TOKEN: token, PACT_BROKER_USERNAME: user, PACT_BROKER_PASSWORD: password } = env;
  if ((user && !password) || (!user && password)) {
    throw new EvkitError(
      'E_BROKER_CONFIG',
      'basic auth needs both PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD',
      {
        details: { need: 'auth' },
      },
    );
  }
  // Proxies and CA settings pass through; broker variables are set here, one credential kind only.
  const base: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith('PACT_BROKER_')),
  );
  base.PACT_DO_NOT_TRACK = 'true';
  base.PACT_BROKER_BASE_URL = url;
  if (token) return { url, auth: 'token', env: { ...base, PACT_BROKER_TOKEN: token } };
  if (user && password) {
    return {
      url,
      auth: 'basic',
      env: { ...base, PACT_BROKER_USERNAME: user, PACT_BROKER_PASSWORD: password },
    };
  }
  return { url, auth: 'none', env: base };
}
