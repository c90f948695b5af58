// duckdb_join.mjs: the baseline of the end-to-end benchmark (run_e2e.py).
//
//   node duckdb_join.mjs --modules DIR --registry R.csv --roster Q.csv --out OUT.csv [--threads N]
//
// Matches the roster against the registry the way today's SQL systems do: a
// plain hash join on the five raw key columns, exactly equal, read straight
// from the two CSV files (all columns as text, no cleaning), and writes the
// result in the shape `xjlink match` writes, so that score_match.py can score
// it too: the roster's columns, then status (matched when at least one record
// joined, else not_found), match_id (the first joined id), candidates (all
// joined ids), score, reasons.  An empty CSV field reads as NULL, and NULL
// never equals NULL, so rows without ID number never join: what SQL does.
//
// DIR is where `npm install --prefix DIR @duckdb/node-api` put the package;
// the benchmark installs it into the build directory, not the source tree.
import { createRequire } from 'node:module';
import path from 'node:path';

function parseArgs(argv) {
  const args = { threads: 0 };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['modules', 'registry', 'roster', 'out', 'threads'].includes(key) || i + 1 >= argv.length) {
      throw new Error(`usage: node duckdb_join.mjs --modules DIR --registry R.csv --roster Q.csv ` +
                      `--out OUT.csv [--threads N] (bad argument '${argv[i]}')`);
    }
    args[key] = argv[i + 1];
  }
  for (const k of ['modules', 'registry', 'roster', 'out']) {
    if (!args[k]) throw new Error(`duckdb_join.mjs: --${k} is required`);
  }
  return args;
}

// A string literal of SQL.
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

const KEYS = ['姓名', '性别', '出生日期', '身份证件类型', '身份证件号'];

async function main() {
  const args = parseArgs(process.argv);
  const require = createRequire(path.join(path.resolve(args.modules), 'package.json'));
  const duckdb = require('@duckdb/node-api');
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  const threads = Number(args.threads);
  if (threads > 0) await con.run(`SET threads = ${threads}`);
  const version = (await con.runAndReadAll('SELECT version() AS v')).getRowObjects()[0].v;

  const csv = (file) => `read_csv(${lit(file)}, header = true, all_varchar = true, delim = ',', quote = '"')`;
  const on = KEYS.map((k) => `q."${k}" = r."${k}"`).join(' AND ');
  const sql = `
    COPY (
      WITH q AS (SELECT * FROM ${csv(args.roster)}),
           r AS (SELECT * FROM ${csv(args.registry)}),
           hits AS (
             SELECT q.row_id, string_agg(r.id, ';' ORDER BY r.id) AS ids, min(r.id) AS first_id
             FROM q JOIN r ON ${on}
             GROUP BY q.row_id)
      SELECT q.*,
             CASE WHEN hits.ids IS NULL THEN 'not_found' ELSE 'matched' END AS status,
             coalesce(hits.first_id, '') AS match_id,
             coalesce(hits.ids, '') AS candidates,
             '' AS score,
             CASE WHEN hits.ids IS NULL THEN '' ELSE 'five raw columns equal' END AS reasons
      FROM q LEFT JOIN hits USING (row_id)
    ) TO ${lit(args.out)} (HEADER, DELIMITER ',')`;
  await con.run(sql);
  con.closeSync();
  instance.closeSync();
  console.log(`duckdb ${version}: wrote ${args.out}`);
}

main().catch((e) => {
  console.error(`duckdb_join.mjs: ${e.message}`);
  process.exit(1);
});
