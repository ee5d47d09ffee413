package io.vxcable.config;

/**
 * What the command line asks for.
 *
 * @param settings the resolved settings (RUN and PRINT_CONFIG)
 * @param text what to print (HELP, VERSION, PRINT_CONFIG)
 */
public record CliOutcome(Kind kind, Settings settings, String text) {

  public enum Kind { RUN, PRINT_CONFIG, HELP, VERSION }
}
