// npm run env -- STACK
// The environment the container of STACK will see: each variable's value ([secret] for a Secret's),
// the layer it comes from and what it shadows, computed from an offline render with the same
// env-layer function the Deployment component uses; then the files it gets from secret volumes.

import { parseCommandLine, runCommand } from "../review/cli";
import { PROJECT_DIR } from "../review/engine/programFacts";

runCommand(async () => {
  const { stack } = parseCommandLine("npm run env -- STACK", []);
  // Loaded once the arguments are right (review/cli.ts).
  const { effectiveEnvironment, formatEnvironmentTable } =
    await import("../review/env/effectiveEnvironment");
  const { placeholderNotice, renderStack } = await import("../review/render/render");
  const rendering = await renderStack({ projectDir: PROJECT_DIR, stack });
  process.stdout.write(
    formatEnvironmentTable(effectiveEnvironment(rendering.objects)) +
      placeholderNotice(rendering, stack),
  );
});
