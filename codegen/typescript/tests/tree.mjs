// The contract tree the tests read: the catalog and its documented examples, found from this
// file's place in the repository (codegen/typescript/tests/).

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const SCHEMAS = join(ROOT, "schemas");

/** The catalog, as schemas/catalog.json has it. */
export function catalog() {
  return JSON.parse(readFileSync(join(SCHEMAS, "catalog.json"), "utf8"));
}

/** Every documented example of every catalog contract: its contract, file, kind and bytes. */
export function examples() {
  const out = [];
  for (const contract of catalog().contracts) {
    for (const kind of ["valid", "invalid"]) {
      const dir = join(SCHEMAS, contract.examples, kind);
      for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
        const bytes = readFileSync(join(dir, name));
        out.push({ contract, kind, file: `${contract.type}/${contract.version}/${kind}/${name}`, bytes });
      }
    }
  }
  return out;
}
