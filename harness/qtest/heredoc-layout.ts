/** What hbadiff's heredoc reproducers hold beside the command, so that reading one back gets it all again. */

/** The comment line that says where a reproducer came from. */
export const provenancePrefix = '# from: ';

/** Said above every written command, and not part of any reproducer's note. */
export const survivalHint = '# QEMU keeps running after the last line when it survives them: stop it with Ctrl-C.';

/** The binary: `$QEMU` when it is set, else `qemu-system-x86_64` on PATH. */
export const qemuCommandWord = '${QEMU:-qemu-system-x86_64}';

/**
 * Added to a written reproducer's arguments: `-qtest` alone leaves QEMU on TCG, where `clock_step` is
 * unknown, so the qtest accelerator is asked for as QEMU developers' reproducers ask for it.
 */
export const qtestStdioArgs = ['-machine', 'accel=qtest', '-qtest', 'stdio'];

export const heredocDelimiter = 'EOF';
