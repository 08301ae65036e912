// `npm run status`'s text: the data versions, a line per pod, what a reader must know beyond the
// table, and the verdict last, where a CI log's reader looks first.

import { StatusReport } from "./rolloutStatus";

/** A table of rows, each column as wide as its widest cell. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd(),
  );
}

/** How long ago `iso` was, from `now`: `42 s`, `5 min`, `3 h`, `2 d`. */
function ago(iso: string | undefined, now: Date): string {
  if (iso === undefined) {
    return "";
  }
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  const [value, unit] =
    seconds < 120
      ? [seconds, "s"]
      : seconds < 7200
        ? [Math.round(seconds / 60), "min"]
        : seconds < 172800
          ? [Math.round(seconds / 3600), "h"]
          : [Math.round(seconds / 86400), "d"];
  return `${iso} (${value} ${unit} ago)`;
}

export function formatStatus(report: StatusReport, stack: string, now: Date): string {
  const whats = report.data.map((d) => d.what);
  const lines = [
    `${report.deployment} of stack ${stack}, namespace ${report.namespace}: rollout ${report.rollout}${report.rolloutReason ? ` (${report.rolloutReason})` : ""}`,
    "",
    ...table([
      ["DATA", "OBJECT", "VERSION", "CHANGED"],
      ...report.data.map((d) => [d.what, d.object, d.version ?? "-", ago(d.changed, now)]),
    ]),
    "",
    ...(report.pods.length === 0
      ? ["no pods"]
      : table([
          ["POD", "REPLICASET", "READY", "RESTARTS", ...whats.map((w) => w.toUpperCase())],
          ...report.pods.map((pod) => [
            pod.name,
            pod.replicaSet,
            pod.ready ? "yes" : "no",
            String(pod.restarts),
            ...whats.map((what) => pod.data[what] ?? "-"),
          ]),
        ])),
    ...report.pods
      .filter((pod) => pod.reason !== undefined)
      .map((pod) => `  ${pod.name}: ${pod.reason}`),
    ...(report.notes.length > 0 ? ["", ...report.notes.map((note) => `note: ${note}`)] : []),
    "",
    `${report.state}: ${report.verdict}`,
  ];
  return `${lines.join("\n")}\n`;
}
