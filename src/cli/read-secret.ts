import readline from 'node:readline';
import { Writable } from 'node:stream';

/** A secret from piped stdin (its first line), or typed at a terminal prompt without echo. */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0].trim();
  }
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => rl.question('', resolve));
    return answer.trim();
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
