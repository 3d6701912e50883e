"""The data model at the bottom of the package: dataclasses and enums that flow through a run,
the error family, language codes and text normalisation. It imports no other feature."""
