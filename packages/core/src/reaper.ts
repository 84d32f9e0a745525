/**
 * For adapters whose workers are OS processes: the children that must not outlive the program
 * (daemons, idle pool workers), killed when it exits, as Python kills daemonic children.
 * `onExit` registers the runtime's exit hook; it is called once, when the first child is added.
 */
export function childReaper<C extends { kill(signal: 'SIGKILL'): unknown }>(onExit: (killAll: () => void) => void): {
  add(child: C): void;
  delete(child: C): void;
} {
  const children = new Set<C>();
  let hooked = false;
  return {
    add(child) {
      children.add(child);
      if (hooked) return;
      hooked = true;
      onExit(() => {
        for (const c of children) c.kill('SIGKILL');
      });
    },
    delete(child) {
      children.delete(child);
    },
  };
}
