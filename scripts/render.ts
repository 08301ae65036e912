// npm run render -- STACK [--out DIR]
// Runs index.ts for STACK under Pulumi's mock runtime and writes one manifest per Kubernetes object
// to DIR (default rendered/STACK), secrets shown as [secret], plus summary.txt. Needs no Pulumi
// CLI, passphrase, cloud account or cluster.

import { join, relative } from "node:path";
import { parseCommandLine, runCommand, writableFolder } from "../review/cli";
import { PROJECT_DIR } from "../review/engine/programFacts";

runCommand(async () => {
  const { stack, options } = parseCommandLine("npm run render -- STACK [--out DIR]", ["out"]);
  const outDir = writableFolder("out", options.out ?? join(PROJECT_DIR, "rendered", stack));
  // Loaded once the arguments are right (review/cli.ts).
  const { placeholderNotice, renderStack, writeRendering } =
    await import("../review/render/render");
  const rendering = await renderStack({ projectDir: PROJECT_DIR, stack });
  writeRendering(rendering, outDir);
  const files = Object.keys(rendering.files);
  process.stdout.write(
    `rendered stack ${stack}: ${rendering.objects.length} objects, all valid against the ` +
      `Kubernetes schema, in ${relative(process.cwd(), outDir) || "."}/\n` +
      files.map((file) => `  ${file}\n`).join("") +
      placeholderNotice(rendering, stack),
  );
});
