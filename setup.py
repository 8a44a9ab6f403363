"""What pyproject.toml cannot say: a built copy of the package carries the repository's rules/
folder inside it, as pipeline/rules_data, where ``pipeline.rules.DEFAULT_RULES_DIR`` finds it
(an sdist carries rules/ as it is). An editable install copies nothing: it reads rules/ in place,
where ``bulletin-metrics rules build`` writes."""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RULES = "rules"
INSTALLED_AS = ("pipeline", "rules_data")


class build_py_with_rules(build_py):
    def _rules(self) -> list[tuple[str, str]]:
        """(file of rules/, where it goes in the build)"""
        target = os.path.join(self.build_lib, *INSTALLED_AS)
        return [(os.path.join(RULES, path.name), os.path.join(target, path.name))
                for path in sorted(Path(RULES).iterdir()) if path.is_file() and not path.name.startswith(".")]

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        self.mkpath(os.path.join(self.build_lib, *INSTALLED_AS))
        for source, target in self._rules():
            self.copy_file(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        return outputs if self.editable_mode else outputs + [target for _, target in self._rules()]

    def get_source_files(self) -> list[str]:
        return super().get_source_files() + [source for source, _ in self._rules()]


setup(cmdclass={"build_py": build_py_with_rules})
