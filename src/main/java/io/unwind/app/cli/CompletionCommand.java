package io.unwind.app.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "completion",
        description = "Print a bash/zsh completion script for unwind's commands and options.",
        footer = {
            "",
            "Examples:",
            "  source <(unwind completion)                                  # this shell only",
            "  unwind completion | sudo tee /etc/bash_completion.d/unwind     # every new shell",
            "  (zsh: autoload -U +X bashcompinit && bashcompinit, then source it)"
        })
public final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash("unwind", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
