import { loadConfig } from './platform/config';
import { migrate } from './platform/db/migrate';
import { rootLogger } from './platform/logger';
import { createGateway } from './gateway/create-app';

async function main() {
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const app = await createGateway(config);
  await app.listen(config.PORT, config.HOST);
  rootLogger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'gateway listening');
}

main().catch((err) => {
  rootLogger.fatal({ err }, 'gateway failed');
  process.exit(1);
});
