// A table as a Parquet file, through hyparquet-writer (pure JavaScript, no native build; the
// reading side, hyparquet, is what the tests use to read it back). Every column is nullable.
// Integers are INT64 (pandas' int64, DuckDB's BIGINT, R arrow's integer when they fit): one integer
// type for every column, and seeds reach 2^32 − 1, past INT32.
import { parquetWriteBuffer } from "hyparquet-writer";
import { VERSION } from "../version.js";
import type { Cell, ColumnType, Table } from "./tables.js";

const PARQUET_TYPES = { string: "STRING", int: "INT64", double: "DOUBLE", boolean: "BOOLEAN" } as const satisfies Record<ColumnType, string>;

/** hyparquet-writer takes INT64 values as bigints. */
function parquetValues(type: ColumnType, values: Cell[]): (Cell | bigint)[] {
  return type === "int" ? values.map((v) => (v === null ? null : BigInt(v as number))) : values;
}

export function toParquet(table: Table): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: table.columns.map((c) => ({ name: c.name, type: PARQUET_TYPES[c.type], data: parquetValues(c.type, c.values), nullable: true })),
    createdBy: `shortcut-bench ${VERSION}`,
  });
  return new Uint8Array(buffer);
}
