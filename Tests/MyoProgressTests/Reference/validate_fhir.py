"""Validates a MyoShell FHIR export with an independent implementation: the fhir.resources
package (pydantic models generated from the FHIR specification), R4B models, whose Bundle,
Patient and Observation are those of R4.

    python3 Tests/MyoProgressTests/Reference/validate_fhir.py FILE.fhir.json

Prints one line: "valid: 1 Patient, N Observation" and exits 0, or the validation error and exits 1.
"""
import json
import sys

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

with open(sys.argv[1], encoding="utf-8") as handle:
    document = json.load(handle)
try:
    bundle = Bundle.model_validate(document)
    counts = {}
    for entry in document["entry"]:
        resource = entry["resource"]
        model = {"Patient": Patient, "Observation": Observation}[resource["resourceType"]]
        model.model_validate(resource)
        counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
except Exception as error:  # the message names the failing field
    print(f"invalid: {error}")
    sys.exit(1)
print(f"valid: {counts.get('Patient', 0)} Patient, {counts.get('Observation', 0)} Observation")
