// CI reaches each stack's cluster the way a laptop does: the stack file names a kubeconfig context,
// and `doctl kubernetes cluster kubeconfig save task-api-<stack>` creates that very context
// (do-<region>-<cluster>). The program's provider inputs stay the same on laptops and in CI, so
// a CI run never shows a provider change a laptop run would not.

import { readStackFile } from "../lib/stackFiles";
import { REPO_DIR, stackNames } from "./support/repository";
import { loadWorkflow, steps, stepsUsing, workflowFiles } from "./support/workflows";

const KUBECONFIG_SAVE = 'doctl kubernetes cluster kubeconfig save "task-api-$STACK"';

test.each(stackNames())(
  "stack %s names the kubeconfig context doctl creates for cluster task-api-<stack>",
  (stack) => {
    const cluster = readStackFile(REPO_DIR, stack)["task-api:cluster"] as { context?: string };
    expect(cluster.context).toMatch(new RegExp(`^do-[a-z0-9]+-task-api-${stack}$`));
  },
);

describe.each(workflowFiles())("%s", (file) => {
  const workflow = loadWorkflow(file);

  test("saves the stack's short-lived kubeconfig before every Pulumi step", () => {
    for (const pulumi of stepsUsing(workflow, "pulumi/actions")) {
      const jobSteps = steps(workflow).filter((s) => s.jobId === pulumi.jobId);
      const save = jobSteps.findIndex((s) => s.step.run?.includes(KUBECONFIG_SAVE));
      expect(save).toBeGreaterThanOrEqual(0);
      expect(save).toBeLessThan(jobSteps.findIndex((s) => s.step === pulumi.step));
      expect(jobSteps[save].step.env?.STACK).toBe(pulumi.step.with?.["stack-name"]);
      expect(jobSteps[save].step.run).toMatch(/--expiry-seconds \d+/);
    }
  });
});
