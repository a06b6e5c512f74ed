# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""pytest collects the proteus scenarios (``scenario_*.rst``) of every module
and of ``tests/`` with Tryton's own doctest set-up, the way ``load_doc_tests``
does for ``python -m unittest``."""
import doctest
import unittest

import pytest


def pytest_collect_file(parent, file_path):
    if file_path.suffix == '.rst' and file_path.name.startswith('scenario_'):
        return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioItem(pytest.Item):
    def runtest(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)
        optionflags = (
            doctest.REPORT_ONLY_FIRST_FAILURE
            | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            optionflags |= STRIP_DECIMAL
        suite = doctest.DocFileSuite(
            str(self.path), module_relative=False,
            setUp=doctest_setup, tearDown=doctest_teardown,
            encoding='utf-8', checker=doctest_checker,
            optionflags=optionflags)
        result = unittest.TestResult()
        suite.run(result)
        problems = result.failures + result.errors
        if problems:
            raise ScenarioFailure('\n'.join(text for _, text in problems))
        if not result.testsRun:
            raise ScenarioFailure("the scenario ran nothing")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"scenario: {self.name}"


class ScenarioFailure(Exception):
    pass
