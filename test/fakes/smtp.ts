import { createServer, type Socket } from 'node:net';

export interface SmtpFake {
  /** smtp:// URL of the server. */
  url: string;
  /** The answer to every RCPT TO; `{rcpt}` becomes the address asked for. */
  rcptReply: string;
  /** The DATA of every message accepted. */
  received: string[];
  close(): Promise<void>;
}

/** Just enough SMTP on 127.0.0.1 for nodemailer (no TLS, no AUTH), answering RCPT TO as told. */
export async function startSmtpFake(): Promise<SmtpFake> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let data: string[] | undefined;
    const command = (line: string) => {
      if (data) {
        if (line !== '.') return void data.push(line);
        fake.received.push(data.join('\n'));
        data = undefined;
        return reply('250 2.0.0 queued');
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') reply('250 fake.smtp');
      else if (verb === 'MAIL' || verb === 'RSET') reply('250 2.1.0 OK');
      else if (verb === 'RCPT') reply(fake.rcptReply.replace('{rcpt}', /<(.*)>/.exec(line)?.[1] ?? ''));
      else if (verb === 'DATA') {
        data = [];
        reply('354 end with <CRLF>.<CRLF>');
      } else if (verb === 'QUIT') {
        reply('221 2.0.0 bye');
        socket.end();
      } else reply('502 5.5.2 not implemented');
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        command(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    });
    reply('220 fake.smtp ESMTP');
  });
  const fake: SmtpFake = {
    url: '',
    rcptReply: '250 2.1.5 OK',
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  fake.url = `smtp://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return fake;
}
