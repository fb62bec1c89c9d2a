package dev.modelship.controller.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of a registry command, with what it printed. */
record RegistryCommandRun(int exitCode, String out, String err) {

  static RegistryCommandRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new RegistryCommandRun(exitCode, out.toString(), err.toString());
  }
}
