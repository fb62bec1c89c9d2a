package dev.modelship.controller.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of a single command object (not yet registered in {@link ModelshipCli}), with what it printed. */
record CommandRun(int exitCode, String out, String err) {

  static CommandRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }
}
