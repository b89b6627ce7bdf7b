package dev.offload;

import picocli.CommandLine.Option;

/** {@code -h, --help} for every command (a picocli mixin): prints the command's usage and exits with 0. */
public class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help and exits.")
    boolean help;
}
