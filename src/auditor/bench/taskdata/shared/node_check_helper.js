// Starts the generated Express app on an ephemeral port of 127.0.0.1 for one test.
const app = require('./app');

async function withServer(fn) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    return await fn(base);
  } finally {
    server.close();
  }
}

module.exports = { withServer, ada: { 'x-user-id': '1' } };
