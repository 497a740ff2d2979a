"""Demo curricula: MD, DDS, BSc Nursing, Operating Room and Laboratory Sciences, with sections for 14041.

Called by the demo loader (`shafa.demo`) as `load_curricula(university, rng, scale)`. Course
names and credit splits follow the national curricula (approved by the Supreme Council for
Medical Sciences Planning) closely enough to look real; the numbers are illustrative.
Idempotent: a second call finds the curricula and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from shafa.core.audit import audit_record
from shafa.institution.models import Program, Term
from shafa.people.models import FacultyMember, Student

from .models import (
    Course,
    CourseCorequisite,
    CoursePrerequisite,
    Curriculum,
    CurriculumItem,
    Meeting,
    PassedCourse,
    RegistrationPhase,
    RegistrationWindow,
    Section,
)

CURRENT_TERM = 14041
D = Decimal

# General (عمومی) courses every bachelor and doctorate student takes: key, fa, en, credits, term.
GENERAL = [
    ("GEN-01", "اندیشه اسلامی ۱", "Islamic Thought 1", 2, 1),
    ("GEN-02", "فارسی عمومی", "General Persian", 3, 1),
    ("GEN-03", "زبان انگلیسی عمومی", "General English", 3, 1),
    ("GEN-04", "تربیت بدنی ۱", "Physical Education 1", 1, 1),
    ("GEN-05", "اندیشه اسلامی ۲", "Islamic Thought 2", 2, 2),
    ("GEN-06", "ورزش ۱", "Sport 1", 1, 2),
    ("GEN-07", "انقلاب اسلامی ایران", "The Islamic Revolution of Iran", 2, 3),
    ("GEN-08", "تاریخ تحلیلی صدر اسلام", "Analytical History of Early Islam", 2, 3),
    ("GEN-09", "تفسیر موضوعی قرآن", "Thematic Interpretation of the Quran", 2, 4),
    ("GEN-10", "اخلاق اسلامی", "Islamic Ethics", 2, 4),
    ("GEN-11", "دانش خانواده و جمعیت", "Family and Population Studies", 2, 2),
]

# Program courses: code, fa, en, type, (theoretical, practical, clinical, internship), term,
# prerequisites, corequisites.
T = "core"
B = "basic"
S = "specialised"
MD = [
    ("MD-101", "آناتومی ۱ (اندام)", "Anatomy 1 (Limbs)", B, (2, 1, 0, 0), 1, [], []),
    ("MD-102", "بافت‌شناسی عمومی", "General Histology", B, (1, 0.5, 0, 0), 1, [], []),
    ("MD-103", "بیوشیمی ساختمان", "Structural Biochemistry", B, (2, 0.5, 0, 0), 1, [], []),
    ("MD-104", "فیزیک پزشکی", "Medical Physics", B, (2, 0, 0, 0), 1, [], []),
    ("MD-105", "اصول خدمات سلامت", "Principles of Health Services", B, (2, 0, 0, 0), 1, [], []),
    ("MD-106", "زبان تخصصی پیش‌نیاز", "Pre-specialised English", B, (2, 0, 0, 0), 1, ["GEN-03"], []),
    ("MD-201", "آناتومی ۲ (تنه)", "Anatomy 2 (Trunk)", B, (2, 1, 0, 0), 2, ["MD-101"], []),
    ("MD-202", "فیزیولوژی ۱", "Physiology 1", B, (3, 0.5, 0, 0), 2, [], []),
    ("MD-203", "بیوشیمی متابولیسم", "Metabolic Biochemistry", B, (3, 0.5, 0, 0), 2, ["MD-103"], []),
    ("MD-204", "ژنتیک پزشکی", "Medical Genetics", B, (2, 0, 0, 0), 2, [], []),
    ("MD-205", "روان‌شناسی سلامت", "Health Psychology", B, (2, 0, 0, 0), 2, [], []),
    ("MD-301", "آناتومی ۳ (سر و گردن)", "Anatomy 3 (Head and Neck)", B, (2, 1, 0, 0), 3, ["MD-201"], []),
    ("MD-302", "فیزیولوژی ۲", "Physiology 2", B, (3, 0.5, 0, 0), 3, ["MD-202"], []),
    ("MD-303", "باکتری‌شناسی پزشکی", "Medical Bacteriology", B, (2, 1, 0, 0), 3, [], []),
    ("MD-304", "ایمنی‌شناسی پزشکی", "Medical Immunology", B, (2, 0.5, 0, 0), 3, [], []),
    ("MD-305", "اپیدمیولوژی و آمار", "Epidemiology and Biostatistics", B, (2, 0, 0, 0), 3, [], []),
    ("MD-401", "علوم تشریح اعصاب", "Neuroanatomy", B, (2, 0.5, 0, 0), 4, ["MD-301"], []),
    ("MD-402", "انگل‌شناسی و قارچ‌شناسی", "Parasitology and Mycology", B, (2, 1, 0, 0), 4, [], []),
    ("MD-403", "ویروس‌شناسی پزشکی", "Medical Virology", B, (2, 0, 0, 0), 4, ["MD-303"], []),
    ("MD-404", "تغذیه پزشکی", "Medical Nutrition", B, (2, 0, 0, 0), 4, ["MD-203"], []),
    ("MD-405", "بهداشت و پزشکی اجتماعی", "Community Medicine", B, (3, 0, 0, 0), 4, [], []),
    ("MD-501", "آسیب‌شناسی عمومی", "General Pathology", T, (3, 1, 0, 0), 5, ["MD-102"], []),
    ("MD-502", "فارماکولوژی عمومی", "General Pharmacology", T, (2, 0, 0, 0), 5, ["MD-302"], []),
    (
        "MD-503",
        "نشانه‌شناسی و معاینه بالینی",
        "Semiology and Physical Examination",
        T,
        (3, 1, 0, 0),
        5,
        [],
        [],
    ),
    ("MD-504", "اخلاق پزشکی", "Medical Ethics", T, (2, 0, 0, 0), 5, [], []),
    (
        "MD-601",
        "فیزیوپاتولوژی قلب و عروق",
        "Cardiovascular Physiopathology",
        T,
        (4, 0, 0, 0),
        6,
        ["MD-501"],
        [],
    ),
    ("MD-602", "فیزیوپاتولوژی ریه", "Pulmonary Physiopathology", T, (3, 0, 0, 0), 6, ["MD-501"], []),
    (
        "MD-603",
        "فیزیوپاتولوژی گوارش و کبد",
        "GI and Liver Physiopathology",
        T,
        (4, 0, 0, 0),
        6,
        ["MD-501"],
        [],
    ),
    ("MD-604", "فارماکولوژی اختصاصی", "Systemic Pharmacology", T, (3, 0, 0, 0), 6, ["MD-502"], []),
    ("MD-605", "آسیب‌شناسی اختصاصی", "Systemic Pathology", T, (3, 1, 0, 0), 6, ["MD-501"], ["MD-601"]),
    (
        "MD-701",
        "فیزیوپاتولوژی کلیه و مجاری ادرار",
        "Renal Physiopathology",
        T,
        (3, 0, 0, 0),
        7,
        ["MD-601"],
        [],
    ),
    (
        "MD-702",
        "فیزیوپاتولوژی غدد و متابولیسم",
        "Endocrine Physiopathology",
        T,
        (3, 0, 0, 0),
        7,
        ["MD-601"],
        [],
    ),
    (
        "MD-703",
        "فیزیوپاتولوژی خون و انکولوژی",
        "Haematology and Oncology",
        T,
        (3, 0, 0, 0),
        7,
        ["MD-601"],
        [],
    ),
    ("MD-704", "فیزیوپاتولوژی اعصاب", "Neurological Physiopathology", T, (3, 0, 0, 0), 7, ["MD-401"], []),
    ("MD-705", "رادیولوژی پایه", "Basic Radiology", T, (2, 0, 0, 0), 7, [], []),
    (
        "MD-801",
        "کارآموزی بیماری‌های داخلی",
        "Internal Medicine Clerkship",
        S,
        (0, 0, 12, 0),
        8,
        ["MD-703"],
        [],
    ),
    ("MD-802", "کارآموزی جراحی عمومی", "General Surgery Clerkship", S, (0, 0, 10, 0), 8, ["MD-603"], []),
    ("MD-901", "کارآموزی کودکان", "Paediatrics Clerkship", S, (0, 0, 10, 0), 9, ["MD-801"], []),
    (
        "MD-902",
        "کارآموزی زنان و زایمان",
        "Obstetrics and Gynaecology Clerkship",
        S,
        (0, 0, 8, 0),
        9,
        ["MD-801"],
        [],
    ),
    (
        "MD-1001",
        "کارآموزی اعصاب و روان",
        "Neurology and Psychiatry Clerkship",
        S,
        (0, 0, 8, 0),
        10,
        ["MD-801"],
        [],
    ),
    ("MD-1002", "کارآموزی عفونی", "Infectious Diseases Clerkship", S, (0, 0, 4, 0), 10, ["MD-801"], []),
    ("MD-1003", "کارآموزی بخش‌های کوچک", "Minor Specialties Clerkship", S, (0, 0, 8, 0), 10, [], []),
    ("MD-1101", "کارآموزی طب اورژانس", "Emergency Medicine Clerkship", S, (0, 0, 4, 0), 11, [], []),
    ("MD-1102", "پزشکی خانواده و سلامت جامعه", "Family and Community Medicine", S, (0, 0, 6, 0), 11, [], []),
    ("MD-1201", "کارورزی داخلی", "Internal Medicine Internship", S, (0, 0, 0, 12), 12, ["MD-801"], []),
    ("MD-1202", "کارورزی جراحی", "Surgery Internship", S, (0, 0, 0, 10), 12, ["MD-802"], []),
    ("MD-1301", "کارورزی کودکان", "Paediatrics Internship", S, (0, 0, 0, 12), 13, ["MD-901"], []),
    ("MD-1302", "کارورزی زنان و زایمان", "Obstetrics Internship", S, (0, 0, 0, 8), 13, ["MD-902"], []),
    (
        "MD-1401",
        "کارورزی طب اورژانس و سلامت جامعه",
        "Emergency and Community Internship",
        S,
        (0, 0, 0, 14),
        14,
        [],
        [],
    ),
    ("MD-1402", "پایان‌نامه", "Thesis", S, (0, 6, 0, 0), 14, [], []),
]
DDS = [
    ("DDS-101", "آناتومی سر و گردن", "Head and Neck Anatomy", B, (3, 1, 0, 0), 1, [], []),
    ("DDS-102", "بیوشیمی", "Biochemistry", B, (3, 0.5, 0, 0), 1, [], []),
    ("DDS-103", "بافت‌شناسی عمومی", "General Histology", B, (2, 0.5, 0, 0), 1, [], []),
    ("DDS-104", "مواد دندانی ۱", "Dental Materials 1", B, (1, 0, 0, 0), 1, [], []),
    ("DDS-201", "فیزیولوژی", "Physiology", B, (4, 0.5, 0, 0), 2, [], []),
    ("DDS-202", "میکروب‌شناسی", "Microbiology", B, (3, 0.5, 0, 0), 2, [], []),
    ("DDS-203", "آناتومی دندان", "Dental Anatomy", B, (1, 1, 0, 0), 2, [], []),
    ("DDS-301", "آسیب‌شناسی عمومی", "General Pathology", T, (2, 0.5, 0, 0), 3, [], []),
    ("DDS-302", "فارماکولوژی", "Pharmacology", T, (3, 0, 0, 0), 3, ["DDS-201"], []),
    ("DDS-303", "بافت‌شناسی دهان", "Oral Histology", T, (2, 0.5, 0, 0), 3, ["DDS-103"], []),
    (
        "DDS-304",
        "پروتزهای دندانی پیش‌بالینی ۱",
        "Preclinical Prosthodontics 1",
        T,
        (1, 2, 0, 0),
        3,
        ["DDS-203"],
        [],
    ),
    ("DDS-401", "پاتولوژی دهان ۱", "Oral Pathology 1", T, (2, 0.5, 0, 0), 4, ["DDS-301"], []),
    ("DDS-402", "ترمیمی پیش‌بالینی", "Preclinical Operative Dentistry", T, (1, 2, 0, 0), 4, ["DDS-203"], []),
    ("DDS-403", "رادیولوژی دهان ۱", "Oral Radiology 1", T, (1, 0.5, 0, 0), 4, [], []),
    ("DDS-501", "بیماری‌های دهان ۱", "Oral Medicine 1", S, (2, 0, 0, 0), 5, ["DDS-401"], []),
    ("DDS-502", "پریودانتیکس ۱", "Periodontics 1", S, (2, 0, 0, 0), 5, ["DDS-303"], []),
    ("DDS-503", "اندودانتیکس پیش‌بالینی", "Preclinical Endodontics", S, (1, 2, 0, 0), 5, ["DDS-402"], []),
    ("DDS-601", "جراحی دهان و فک ۱", "Oral and Maxillofacial Surgery 1", S, (2, 0, 0, 0), 6, ["DDS-101"], []),
    ("DDS-602", "ارتودنسی ۱", "Orthodontics 1", S, (2, 0, 0, 0), 6, [], []),
    (
        "DDS-701",
        "ترمیمی عملی ۱",
        "Clinical Operative Dentistry 1",
        S,
        (0, 0, 2, 0),
        7,
        ["DDS-402"],
        ["DDS-702"],
    ),
    ("DDS-702", "ترمیمی نظری ۱", "Operative Dentistry Theory 1", S, (1, 0, 0, 0), 7, ["DDS-402"], []),
    ("DDS-703", "پریو عملی ۱", "Clinical Periodontics 1", S, (0, 0, 2, 0), 7, ["DDS-502"], []),
    ("DDS-801", "اندو عملی ۱", "Clinical Endodontics 1", S, (0, 0, 2, 0), 8, ["DDS-503"], []),
    ("DDS-802", "پروتز کامل عملی", "Clinical Complete Denture", S, (0, 0, 2, 0), 8, ["DDS-304"], []),
    ("DDS-901", "کودکان عملی ۱", "Clinical Paediatric Dentistry 1", S, (0, 0, 2, 0), 9, [], []),
    ("DDS-902", "جراحی عملی ۱", "Clinical Oral Surgery 1", S, (0, 0, 2, 0), 9, ["DDS-601"], []),
    ("DDS-1001", "سلامت دهان و دندانپزشکی اجتماعی", "Community Oral Health", S, (2, 0, 1, 0), 10, [], []),
    ("DDS-1101", "دندانپزشکی جامع", "Comprehensive Dentistry", S, (0, 0, 4, 0), 11, [], []),
    ("DDS-1201", "پایان‌نامه", "Thesis", S, (0, 6, 0, 0), 12, [], []),
]
NURSING = [
    ("NUR-101", "تشریح", "Anatomy", B, (2, 0.5, 0, 0), 1, [], []),
    ("NUR-102", "فیزیولوژی", "Physiology", B, (3, 0.5, 0, 0), 1, [], []),
    ("NUR-103", "اصول و مهارت‌های پرستاری", "Principles and Skills of Nursing", T, (2, 1, 0, 0), 1, [], []),
    ("NUR-104", "روان‌شناسی فردی و اجتماعی", "Individual and Social Psychology", B, (2, 0, 0, 0), 1, [], []),
    ("NUR-201", "بیوشیمی", "Biochemistry", B, (1.5, 0.5, 0, 0), 2, [], []),
    ("NUR-202", "میکروب‌شناسی", "Microbiology", B, (1.5, 0.5, 0, 0), 2, [], []),
    ("NUR-203", "فارماکولوژی", "Pharmacology", T, (3, 0, 0, 0), 2, ["NUR-102"], []),
    (
        "NUR-204",
        "کارآموزی اصول و مهارت‌ها",
        "Fundamentals Clinical Practice",
        T,
        (0, 0, 2, 0),
        2,
        ["NUR-103"],
        [],
    ),
    (
        "NUR-301",
        "پرستاری بزرگسالان و سالمندان ۱",
        "Adult and Elderly Nursing 1",
        S,
        (4, 0, 0, 0),
        3,
        ["NUR-203"],
        [],
    ),
    ("NUR-302", "بررسی وضعیت سلامت", "Health Assessment", T, (1, 0.5, 0, 0), 3, [], []),
    ("NUR-303", "کارآموزی بزرگسالان ۱", "Adult Nursing Practice 1", S, (0, 0, 2, 0), 3, [], ["NUR-301"]),
    (
        "NUR-401",
        "پرستاری بزرگسالان و سالمندان ۲",
        "Adult and Elderly Nursing 2",
        S,
        (4, 0, 0, 0),
        4,
        ["NUR-301"],
        [],
    ),
    ("NUR-402", "پرستاری سلامت جامعه", "Community Health Nursing", S, (2, 0, 0, 0), 4, [], []),
    (
        "NUR-403",
        "کارآموزی بزرگسالان ۲",
        "Adult Nursing Practice 2",
        S,
        (0, 0, 2, 0),
        4,
        ["NUR-303"],
        ["NUR-401"],
    ),
    ("NUR-501", "پرستاری کودک سالم و بیمار", "Paediatric Nursing", S, (3, 0, 0, 0), 5, [], []),
    ("NUR-502", "پرستاری مادران و نوزادان", "Maternal and Newborn Nursing", S, (3, 0, 0, 0), 5, [], []),
    ("NUR-503", "کارآموزی کودکان", "Paediatric Nursing Practice", S, (0, 0, 2, 0), 5, [], ["NUR-501"]),
    ("NUR-601", "پرستاری بهداشت روان", "Mental Health Nursing", S, (3, 0, 0, 0), 6, [], []),
    ("NUR-602", "پرستاری مراقبت‌های ویژه", "Critical Care Nursing", S, (3, 0, 0, 0), 6, ["NUR-401"], []),
    ("NUR-603", "کارآموزی روان", "Mental Health Practice", S, (0, 0, 2, 0), 6, [], ["NUR-601"]),
    ("NUR-701", "کارورزی پرستاری بزرگسالان", "Adult Nursing Internship", S, (0, 0, 0, 8), 7, ["NUR-403"], []),
    ("NUR-702", "مدیریت خدمات پرستاری", "Nursing Management", S, (2, 0, 0, 0), 7, [], []),
    (
        "NUR-801",
        "کارورزی ویژه و اورژانس",
        "Critical Care and Emergency Internship",
        S,
        (0, 0, 0, 8),
        8,
        ["NUR-602"],
        [],
    ),
    ("NUR-802", "کارورزی سلامت جامعه", "Community Health Internship", S, (0, 0, 0, 4), 8, ["NUR-402"], []),
]
OPERATING_ROOM = [
    ("OR-101", "تشریح ۱", "Anatomy 1", B, (2, 0.5, 0, 0), 1, [], []),
    ("OR-102", "فیزیولوژی ۱", "Physiology 1", B, (2, 0.5, 0, 0), 1, [], []),
    ("OR-103", "مقدمه‌ای بر تکنولوژی اتاق عمل", "Introduction to OR Technology", T, (2, 0, 0, 0), 1, [], []),
    ("OR-201", "اصول استریلیزاسیون", "Sterilisation Principles", T, (1, 0.5, 0, 0), 2, [], []),
    ("OR-202", "فارماکولوژی", "Pharmacology", B, (2, 0, 0, 0), 2, ["OR-102"], []),
    (
        "OR-203",
        "کارآموزی اصول و فنون عملکرد فرد اسکراب",
        "Scrub Role Practice",
        S,
        (0, 0, 2, 0),
        2,
        ["OR-103"],
        [],
    ),
    ("OR-301", "تکنولوژی جراحی عمومی", "General Surgery Technology", S, (2, 0, 0, 0), 3, ["OR-201"], []),
    ("OR-302", "بیهوشی و مراقبت‌های آن", "Anaesthesia and its Care", S, (2, 0, 0, 0), 3, ["OR-202"], []),
    (
        "OR-303",
        "کارآموزی جراحی عمومی",
        "General Surgery Practice",
        S,
        (0, 0, 3, 0),
        3,
        ["OR-203"],
        ["OR-301"],
    ),
    (
        "OR-401",
        "تکنولوژی جراحی ارتوپدی",
        "Orthopaedic Surgery Technology",
        S,
        (2, 0, 0, 0),
        4,
        ["OR-301"],
        [],
    ),
    (
        "OR-402",
        "تکنولوژی جراحی زنان",
        "Gynaecological Surgery Technology",
        S,
        (1, 0, 0, 0),
        4,
        ["OR-301"],
        [],
    ),
    ("OR-501", "تکنولوژی جراحی اعصاب", "Neurosurgery Technology", S, (2, 0, 0, 0), 5, ["OR-401"], []),
    (
        "OR-502",
        "کارآموزی ارتوپدی و زنان",
        "Orthopaedic and Gynaecology Practice",
        S,
        (0, 0, 3, 0),
        5,
        ["OR-303"],
        [],
    ),
    ("OR-601", "تکنولوژی جراحی قلب", "Cardiac Surgery Technology", S, (2, 0, 0, 0), 6, ["OR-501"], []),
    ("OR-701", "کارورزی در عرصه ۱", "Field Internship 1", S, (0, 0, 0, 8), 7, ["OR-502"], []),
    ("OR-801", "کارورزی در عرصه ۲", "Field Internship 2", S, (0, 0, 0, 8), 8, ["OR-701"], []),
]
LAB: list[Any] = [
    ("LAB-101", "بیوشیمی عمومی", "General Biochemistry", B, (2, 1, 0, 0), 1, [], []),
    ("LAB-102", "آناتومی", "Anatomy", B, (2, 0, 0, 0), 1, [], []),
    ("LAB-103", "اصول کار آزمایشگاه", "Laboratory Practice Principles", T, (1, 1, 0, 0), 1, [], []),
    ("LAB-201", "فیزیولوژی", "Physiology", B, (3, 0, 0, 0), 2, [], []),
    ("LAB-202", "باکتری‌شناسی عمومی", "General Bacteriology", T, (2, 1, 0, 0), 2, ["LAB-103"], []),
    ("LAB-203", "خون‌شناسی ۱", "Haematology 1", T, (2, 1, 0, 0), 2, [], []),
    ("LAB-301", "بیوشیمی بالینی ۱", "Clinical Biochemistry 1", S, (2, 1, 0, 0), 3, ["LAB-101"], []),
    ("LAB-302", "ایمنی‌شناسی", "Immunology", T, (2, 1, 0, 0), 3, [], []),
    ("LAB-303", "انگل‌شناسی", "Parasitology", T, (2, 1, 0, 0), 3, [], []),
    ("LAB-401", "باکتری‌شناسی پزشکی", "Medical Bacteriology", S, (2, 1, 0, 0), 4, ["LAB-202"], []),
    ("LAB-402", "خون‌شناسی ۲", "Haematology 2", S, (2, 1, 0, 0), 4, ["LAB-203"], []),
    ("LAB-501", "بیوشیمی بالینی ۲", "Clinical Biochemistry 2", S, (2, 1, 0, 0), 5, ["LAB-301"], []),
    ("LAB-502", "بانک خون", "Blood Banking", S, (2, 1, 0, 0), 5, ["LAB-402"], []),
    ("LAB-601", "ویروس‌شناسی", "Virology", S, (2, 0.5, 0, 0), 6, ["LAB-302"], []),
    ("LAB-602", "قارچ‌شناسی پزشکی", "Medical Mycology", S, (1, 1, 0, 0), 6, [], []),
    ("LAB-701", "کارآموزی در عرصه ۱", "Field Practice 1", S, (0, 0, 6, 0), 7, ["LAB-501"], []),
    ("LAB-801", "کارآموزی در عرصه ۲", "Field Practice 2", S, (0, 0, 6, 0), 8, ["LAB-701"], []),
]

CURRICULA: list[tuple[str, str, str, str, int, list[Any]]] = [
    ("md", "md-1403", "برنامه آموزشی دوره دکترای عمومی پزشکی", "General Medicine (MD) curriculum", 1403, MD),
    (
        "dds",
        "dds-1398",
        "برنامه آموزشی دوره دکترای عمومی دندانپزشکی",
        "Dentistry (DDS) curriculum",
        1398,
        DDS,
    ),
    (
        "bsc-nursing",
        "bsc-nursing-1402",
        "برنامه آموزشی کارشناسی پرستاری",
        "BSc Nursing curriculum",
        1402,
        NURSING,
    ),
    (
        "bsc-operating-room",
        "bsc-operating-room-1401",
        "برنامه آموزشی کارشناسی تکنولوژی اتاق عمل",
        "BSc Operating Room Technology curriculum",
        1401,
        OPERATING_ROOM,
    ),
    (
        "bsc-lab-sciences",
        "bsc-lab-sciences-1400",
        "برنامه آموزشی کارشناسی علوم آزمایشگاهی",
        "BSc Laboratory Sciences curriculum",
        1400,
        LAB,
    ),
]

# Weekly teaching slots (Saturday–Wednesday), allocated per cohort so its timetable never clashes.
SLOTS = [
    (day, start, end)
    for day in range(5)
    for start, end in ((dt.time(8), dt.time(10)), (dt.time(10), dt.time(12)), (dt.time(13), dt.time(15)))
] + [(day, dt.time(15), dt.time(17)) for day in range(5)]
EXAM_START = dt.date(2026, 1, 3)  # 13 Dey 1404


def _students_for_scale(scale: Any) -> int:
    students = getattr(scale, "students", None)
    if students is None:
        students = {"small": 200, "qums": 5000, "large": 25000}.get(str(scale), 200)
    return int(students)


def _term_number(entry_code: int, term_code: int) -> int:
    """1 for the entry term; first/second terms alternate (summer terms are not counted)."""
    years = term_code // 10 - entry_code // 10
    return years * 2 + (term_code % 10) - (entry_code % 10) + 1


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    created = model._default_manager.bulk_create(rows, batch_size=1000)
    if created:
        audit_record(
            action="bulk_load",
            model_label=model._meta.label,
            object_repr=f"demo: {len(created)} {model._meta.verbose_name_plural}",
            changes={"count": len(created)},
        )
    return created


@transaction.atomic
def load_curricula(university: Any, rng: random.Random, scale: Any) -> dict[str, int]:
    """Create the five demo curricula and the 14041 sections, windows and passed courses."""
    programs = {p.code: p for p in Program.objects.filter(school__university=university)}
    term = Term.objects.filter(code=CURRENT_TERM).first()
    wanted = [row for row in CURRICULA if row[0] in programs]
    if not wanted or Curriculum.objects.filter(code__in=[row[1] for row in wanted]).exists():
        return {}

    # Courses (general ones shared), then prerequisite and corequisite links.
    courses: dict[str, Course] = {c.code: c for c in Course.objects.filter(code__startswith="GEN-")}
    new = [
        Course(code=code, title_fa=fa, title_en=en, course_type="general", theoretical_credits=D(credits))
        for code, fa, en, credits, _term in GENERAL
        if code not in courses
    ]
    sport = {"GEN-04", "GEN-06"}
    for course in new:
        if course.code in sport:
            course.grading = "pass_fail"
            course.practical_credits, course.theoretical_credits = course.theoretical_credits, D(0)
    for _program, _code, _fa, _en, _year, rows in wanted:
        for code, fa, en, kind, (th, pr, cl, it), _term, _pre, _co in rows:
            new.append(
                Course(
                    code=code,
                    title_fa=fa,
                    title_en=en,
                    course_type=kind,
                    theoretical_credits=D(str(th)),
                    practical_credits=D(str(pr)),
                    clinical_credits=D(str(cl)),
                    internship_credits=D(str(it)),
                    grading="pass_fail" if en == "Thesis" else "graded",
                )
            )
    courses.update({c.code: c for c in _bulk(Course, new)})
    prerequisites, corequisites = [], []
    for _program, _code, _fa, _en, _year, rows in wanted:
        for code, *_rest, pre, co in rows:
            prerequisites += [
                CoursePrerequisite(course=courses[code], required_course=courses[p]) for p in pre
            ]
            corequisites += [CourseCorequisite(course=courses[code], corequisite=courses[c]) for c in co]
    CoursePrerequisite.objects.bulk_create(prerequisites)
    CourseCorequisite.objects.bulk_create(corequisites)

    # Curricula: the program's courses plus the general ones.
    items = []
    curricula = []
    for program_code, code, fa, en, year, rows in wanted:
        curriculum = Curriculum(
            program=programs[program_code], code=code, title_fa=fa, title_en=en, approved_jalali_year=year
        )
        curriculum.save()
        curricula.append(curriculum)
        for gen_code, _fa, _en, _credits, gen_term in GENERAL:
            items.append(
                CurriculumItem(curriculum=curriculum, course=courses[gen_code], recommended_term=gen_term)
            )
        for row in rows:
            items.append(
                CurriculumItem(curriculum=curriculum, course=courses[row[0]], recommended_term=row[5])
            )
    CurriculumItem.objects.bulk_create(items)
    counts = {"courses": len(new), "curricula": len(curricula), "curriculum_items": len(items)}
    if term is None:
        return counts

    # Sections of 14041: a first term (Mehr), so cohorts in odd terms are in class.
    faculty_by_school: dict[int, list[FacultyMember]] = defaultdict(list)
    for member in FacultyMember.objects.filter(department__school__university=university, is_active=True):
        faculty_by_school[member.department.school_id].append(member)
    students = Student.objects.filter(program__code__in=[row[0] for row in wanted], status="active")
    cohort_sizes: dict[tuple[str, int], int] = defaultdict(int)
    for program_code, entry_code in students.values_list("program__code", "entry_term__code"):
        cohort_sizes[(program_code, _term_number(entry_code, term.code))] += 1
    total = _students_for_scale(scale)
    sections: list[Section] = []
    meetings: list[tuple[Section, list[tuple[int, dt.time, dt.time]]]] = []
    instructors: list[tuple[Section, FacultyMember]] = []
    next_number: dict[int, int] = defaultdict(int)  # general courses are shared by programs
    for program_code, _code, _fa, _en, _year, rows in wanted:
        program = programs[program_code]
        staff = faculty_by_school.get(program.school_id, [])
        by_term: dict[int, list[str]] = defaultdict(list)
        for gen_code, _fa2, _en2, _credits, gen_term in GENERAL:
            by_term[gen_term].append(gen_code)
        for row in rows:
            by_term[row[5]].append(row[0])
        for term_number in range(1, program.duration_terms + 1, 2):
            cohort = cohort_sizes.get((program_code, term_number)) or max(total // 200, 8)
            slot = 0
            exam_day = 0
            for code in by_term.get(term_number, []):
                course = courses[code]
                capacity = 60 if course.theoretical_credits >= course.credits / 2 else 30
                count = max(1, math.ceil(cohort / capacity))
                weekly = []
                if course.clinical_credits == 0 and course.internship_credits == 0:
                    hours = 2 if course.credits <= 2 else 4
                    for _ in range(hours // 2):
                        weekly.append(SLOTS[slot % len(SLOTS)])
                        slot += 1
                exam_at = None
                if weekly:
                    exam_at = timezone.make_aware(
                        dt.datetime.combine(EXAM_START + dt.timedelta(days=exam_day), dt.time(9))
                    )
                    exam_day += 1
                for _ in range(count):
                    next_number[course.pk] += 1
                    number = next_number[course.pk]
                    section = Section(
                        term=term,
                        course=course,
                        number=number,
                        capacity=capacity + rng.choice((0, 5, 10)),
                        exam_at=exam_at,
                    )
                    sections.append(section)
                    meetings.append((section, weekly))
                    if staff:
                        instructors.append((section, rng.choice(staff)))
    sections = _bulk(Section, sections)
    Meeting.objects.bulk_create(
        [
            Meeting(
                section=section,
                weekday=day,
                start_time=start,
                end_time=end,
                room=f"{rng.randint(1, 4)}{rng.randint(1, 20):02d}",
            )
            for section, weekly in meetings
            for day, start, end in weekly
        ],
        batch_size=1000,
    )
    through = Section.instructors.through
    through.objects.bulk_create(
        [through(section_id=section.pk, facultymember_id=member.pk) for section, member in instructors],
        batch_size=1000,
    )

    # Passed courses: every course of the terms a student has finished.
    recommended: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in CurriculumItem.objects.filter(curriculum__in=curricula).select_related("curriculum__program"):
        recommended[item.curriculum.program.code].append((item.course_id, item.recommended_term))
    passed = []
    for student_id, program_code, entry_code in students.values_list(
        "pk", "program__code", "entry_term__code"
    ):
        current = _term_number(entry_code, term.code)
        passed += [
            PassedCourse(student_id=student_id, course_id=course_id)
            for course_id, recommended_term in recommended[program_code]
            if recommended_term < current
        ]
    PassedCourse.objects.bulk_create(passed, batch_size=2000, ignore_conflicts=True)

    # A main-registration window open now, so a demo student can register today.
    now = timezone.now()
    RegistrationWindow(
        term=term,
        phase=RegistrationPhase.MAIN,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=60),
    ).save()
    counts.update(sections=len(sections), passed_courses=len(passed))
    return counts
