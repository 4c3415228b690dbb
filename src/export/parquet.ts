// A table as a Parquet file, through hyparquet-writer (pure JavaScript, no native build; the
// reading side, hyparquet, is what the tests use to read it back). Every column is nullable.
import { parquetWriteBuffer } from "hyparquet-writer";
import { VERSION } from "../version.js";
import type { ColumnType, Table } from "./tables.js";

const PARQUET_TYPES = { string: "STRING", int: "INT32", double: "DOUBLE", boolean: "BOOLEAN" } as const satisfies Record<ColumnType, string>;

export function toParquet(table: Table): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: table.columns.map((c) => ({ name: c.name, type: PARQUET_TYPES[c.type], data: c.values, nullable: true })),
    createdBy: `shortcut-bench ${VERSION}`,
  });
  return new Uint8Array(buffer);
}
