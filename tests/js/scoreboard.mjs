// The live scoreboard through the npm `graphql-ws` client (what Apollo Client and urql use),
// driven by tests/test_js_clients.py, which sets up the edition and starts the server.
//
// Environment: LOHUB_URL (http://host:port/graphql), MANAGER_TOKEN, JUDGE_TOKEN, CONTEST_ID,
// ENTRY_ID, CRITERIA (a JSON array of criterion ids).
// stdout, one line each: REFUSED <code> per refused connection, SUBSCRIBED, LISTENING once the
// first update arrived (the Python side announces the entry until then), UPDATED <json>.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const env = process.env;
const wsUrl = env.LOHUB_URL.replace(/^http/, "ws");
const SCOREBOARD = `subscription Scoreboard($contestId: ID!) {
  contestScoreboard(contestId: $contestId) { entry { id } count mean judges { judge { username } } }
}`;
const SCORE = `mutation EntryScore($input: EntryScoreInput!) {
  entryScore(input: $input) { weightedTotal errors { code message } }
}`;

function client(token) {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : undefined,
  });
}

// A connection the server must refuse: resolves with the close code it sent.
function refusal(token) {
  const ws = client(token);
  return new Promise((resolve, reject) => {
    ws.subscribe(
      { query: SCOREBOARD, variables: { contestId: env.CONTEST_ID } },
      {
        next: (value) => reject(new Error(`refused connection got ${JSON.stringify(value)}`)),
        error: (error) => resolve(error?.code ?? String(error)),
        complete: () => reject(new Error("refused connection completed")),
      },
    );
  }).finally(() => ws.dispose());
}

async function judgeSubmits() {
  const scores = JSON.parse(env.CRITERIA).map((criterion, i) => ({ criterion, value: i ? 4 : 8 }));
  const response = await fetch(env.LOHUB_URL, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${env.JUDGE_TOKEN}` },
    body: JSON.stringify({
      query: SCORE,
      variables: { input: { entry: env.ENTRY_ID, scores, submit: true } },
    }),
  });
  const body = await response.json();
  if (body.errors || body.data.entryScore.errors.length) {
    throw new Error(`the judge could not submit: ${JSON.stringify(body)}`);
  }
}

async function watch() {
  const ws = client(env.MANAGER_TOKEN);
  const updates = ws.iterate({ query: SCOREBOARD, variables: { contestId: env.CONTEST_ID } });
  try {
    console.log("SUBSCRIBED");
    let listening = false;
    for await (const result of updates) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      const board = result.data.contestScoreboard;
      if (!listening) {
        listening = true;
        console.log("LISTENING");
        await judgeSubmits();
      } else if (board.count === 1) {
        console.log(`UPDATED ${JSON.stringify(board)}`);
        return;
      }
    }
    throw new Error("the subscription ended without the update");
  } finally {
    await ws.dispose();
  }
}

const timeout = setTimeout(() => {
  console.error("timed out");
  process.exit(2);
}, 30_000);
console.log(`REFUSED ${await refusal(null)}`);
console.log(`REFUSED ${await refusal("not-a-token")}`);
console.log(`REFUSED ${await refusal(env.JUDGE_TOKEN)}`);
await watch();
clearTimeout(timeout);
