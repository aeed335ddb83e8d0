import pino, { type Logger } from 'pino';
import { redact } from './credentials/redact';

/**
 * Structured JSON logs. Every line's text passes through the redactor (registered secrets and
 * credential-looking patterns), and auth headers are removed by path, so no secret reaches a log.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'headers.Authorization', '*.password',
        '*.apiKey', '*.api_key', '*.clientSecret', '*.client_secret', '*.refreshToken', '*.refresh_token',
        '*.accessToken', '*.access_token', 'credentials'],
      censor: '[redacted]',
    },
    hooks: {
      streamWrite: (line: string) => redact(line),
    },
  }, destination);
}

export const rootLogger = createLogger('forgeworks');
