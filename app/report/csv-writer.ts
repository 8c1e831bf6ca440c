/**
 * A time-series CSV file written as the run goes: the header once (each column with its unit, so
 * a spreadsheet reader needs no other document), then rows appended as they are produced. Each
 * append is one write(2), so a killed run leaves every complete row it had written.
 */
import { appendFileSync, writeFileSync } from "node:fs"

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
export const csvField = (value: string | number): string => {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export const csvLine = (fields: ReadonlyArray<string | number>): string =>
  `${fields.map(csvField).join(",")}\n`

export class CsvWriter {
  private rowsWritten = 0

  /** Creates (or truncates) the file and writes the header. */
  constructor(
    readonly path: string,
    header: ReadonlyArray<string>,
  ) {
    writeFileSync(path, csvLine(header))
  }

  get rows(): number {
    return this.rowsWritten
  }

  append(rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
    if (rows.length === 0) return
    appendFileSync(this.path, rows.map(csvLine).join(""))
    this.rowsWritten += rows.length
  }
}
